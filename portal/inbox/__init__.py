"""“Việc cần làm”: the task inbox, home of department staff and council members. Each kind of line is one small
class (`lines/`) reading its figures through the apps' selectors in a fixed number of queries; the page lists the
kinds that have something to say, each line linking to the list it counts, filtered."""

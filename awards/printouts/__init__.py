"""The awards app's printed documents, rendered by the PDF engine of `portal.core.pdf`: the registration form,
the member's score sheet, the council's score summary and minutes, the decision's list and the certificate."""

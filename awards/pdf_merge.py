"""Concatenate PDFs into one file while reading and writing one part at a time.

pypdf's PdfWriter keeps every page object of every part until it writes, so merging 500 certificates grows the
worker's memory by the size of the pages (~170 KB per certificate measured). Certificates share nothing (each
WeasyPrint PDF carries its own font subsets), so a merge needs no deduplication: every object reachable from a
part's pages is renumbered, written to the output at once and forgotten. What stays in memory for the whole
merge is the byte offset of each written object and the page numbers (a few bytes per object), which the
cross-reference table at the end needs. Pages keep what they inherit from their old page tree (resources, media
box, rotation), so they render the same.
"""

import hashlib
import os
from array import array
from collections.abc import Callable, Iterable

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
CATALOG, PAGES = 1, 2


def merge_pdfs(paths: Iterable, out_path, on_part: Callable[[], None] | None = None) -> int:
    """Write the pages of `paths` (file paths or binary streams), in order, to `out_path`; return the number of
    pages. `on_part` is called
    after each part (the export's heartbeat: a merge of thousands of parts takes a while)."""
    with open(out_path, "wb") as fh:
        writer = _StreamingWriter(fh)
        for path in paths:
            writer.append(path)
            if on_part is not None:
                on_part()
        writer.finish()
    return len(writer.kids)


class _StreamingWriter:
    def __init__(self, fh):
        self.fh = fh
        self.offsets = array("Q", [0, 0, 0])  # object 0 (free), the catalog and the page tree, written last
        self.kids = array("L")
        fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _allocate(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, number: int, obj) -> None:
        self.offsets[number] = self.fh.tell()
        self.fh.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.fh)
        self.fh.write(b"\nendobj\n")

    def append(self, path) -> None:
        reader = PdfReader(path)
        numbers: dict[tuple[int, int], int] = {}
        pending: list[tuple[int, IndirectObject]] = []
        pages: set[int] = set()

        def ref(indirect: IndirectObject) -> IndirectObject:
            key = (indirect.idnum, indirect.generation)
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = self._allocate()
                pending.append((number, indirect))
            return IndirectObject(number, 0, None)

        def copy(obj):
            if isinstance(obj, _PagesRef):
                return obj
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, StreamObject):
                new = obj.__class__()
                new._data = obj._data
                for key, value in dict.items(obj):
                    new[NameObject(key)] = copy(value)
                return new
            if isinstance(obj, DictionaryObject):
                new = DictionaryObject()
                # A digital signature vouches for its own file only: a signature field's widget keeps its
                # appearance in the print file, not the signature value (~7 kB a part, and its parsing).
                signature_field = obj.get("/FT") == "/Sig"
                for key, value in dict.items(obj):
                    if not (signature_field and key == "/V"):
                        new[NameObject(key)] = copy(value)
                return new
            if isinstance(obj, ArrayObject):
                return ArrayObject(copy(value) for value in list.__iter__(obj))
            return obj

        for page in reader.pages:
            number = ref(page.indirect_reference).idnum
            self.kids.append(number)
            pages.add(number)

        while pending:
            number, indirect = pending.pop()
            obj = indirect.get_object()
            if number in pages:
                obj = _standalone_page(obj)
            self._write(number, copy(obj))

    def finish(self) -> None:
        kids = b" ".join(b"%d 0 R" % number for number in self.kids)
        self.offsets[PAGES] = self.fh.tell()
        self.fh.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [%s] >>\nendobj\n" % (PAGES, len(self.kids), kids))
        self.offsets[CATALOG] = self.fh.tell()
        self.fh.write(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (CATALOG, PAGES))
        xref = self.fh.tell()
        size = len(self.offsets)
        self.fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for offset in self.offsets[1:]:
            self.fh.write(b"%010d 00000 n \n" % offset)
        file_id = ByteStringObject(hashlib.md5(os.urandom(16), usedforsecurity=False).digest())
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(size),
                NameObject("/Root"): IndirectObject(CATALOG, 0, None),
                NameObject("/ID"): ArrayObject([file_id, file_id]),
            }
        )
        self.fh.write(b"trailer\n")
        trailer.write_to_stream(self.fh)
        self.fh.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)


def _standalone_page(page) -> DictionaryObject:
    """The page's own dictionary with what it inherits from its old page tree, its parent the new tree."""
    own = DictionaryObject({NameObject(key): value for key, value in dict.items(page) if key != "/Parent"})
    parent = page.get("/Parent")
    while parent is not None:
        parent = parent.get_object()
        for key in INHERITABLE:
            if key not in own and key in parent:
                own[NameObject(key)] = dict.__getitem__(parent, key)
        parent = parent.get("/Parent")
    own[NameObject("/Parent")] = _PagesRef()
    return own


class _PagesRef(IndirectObject):
    """The reference to the new page tree; copy() must not renumber it as an object of the part."""

    def __init__(self):
        super().__init__(PAGES, 0, None)

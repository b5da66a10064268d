"""Serve the portal's web fonts straight from their installed font packages (no copied files, no CDN)."""

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _font_dirs():
    import fontpkg_be_vietnam_pro

    return {"fonts/be-vietnam-pro": fontpkg_be_vietnam_pro.ROOT / "files"}


FONT_FILES = (
    "BeVietnamPro-Regular.ttf",
    "BeVietnamPro-SemiBold.ttf",
    "BeVietnamPro-Bold.ttf",
    "BeVietnamPro-Italic.ttf",
)


class FontPackageFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = {prefix: FileSystemStorage(location=str(path)) for prefix, path in _font_dirs().items()}

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        matches = []
        for prefix, storage in self.storages.items():
            if path.startswith(prefix + "/"):
                name = path[len(prefix) + 1 :]
                if name in FONT_FILES and storage.exists(name):
                    match = storage.path(name)
                    if not find_all:
                        return match
                    matches.append(match)
        return matches

    def list(self, ignore_patterns):
        for prefix, storage in self.storages.items():
            storage.prefix = prefix
            for name in FONT_FILES:
                if storage.exists(name):
                    yield name, storage

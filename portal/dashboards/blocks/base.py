"""The base of the dashboard's blocks: each reads its own figures and gives the page what it shows."""

from ..reference import Reference, Scope
from .links import Links


class Block:
    """One block of the dashboard. context() reads the block's figures (a query or two, whatever the data) and
    returns what the page template needs of it, with its key figures under "key_figures" (the figures at the
    top of the page, in the order of the blocks)."""

    def __init__(self, reference: Reference, scope: Scope, links: Links):
        self.reference = reference
        self.scope = scope
        self.links = links

    def context(self) -> dict:
        raise NotImplementedError

"""The dashboard's blocks, one class each (see base.Block), in the order the page shows them."""

from .base import Block
from .fairs import FairsBlock
from .funding import FundingBlock
from .links import Links
from .ocop import OcopBlock
from .provinces import ProvincesBlock
from .recognitions import RecognitionsBlock

BLOCKS = (RecognitionsBlock, ProvincesBlock, OcopBlock, FundingBlock, FairsBlock)

__all__ = ["BLOCKS", "Block", "FairsBlock", "FundingBlock", "Links", "OcopBlock", "ProvincesBlock", "RecognitionsBlock"]

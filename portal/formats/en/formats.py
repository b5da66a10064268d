# Dates are written dd/mm/yyyy in every language of the portal (the Vietnamese formats); money uses dot thousands.
from portal.formats.vi.formats import *  # noqa: F403

"""REST API of petitions: the officials' inbox, one case, and one POST per move.

Thin, like the pages (STYLE: Views and API): every read starts from
`selectors.visible_petitions` / `selectors.petition_for_staff` (404 outside the user's
scope); every move validates its input serializer and runs through `moves.run`, the
mapping the staff page uses too; the one exception handler turns the services' errors
into 409 / 403 / 400.

Confidentiality: the API never returns a denouncer's identity. Denunciations show the
mask; the logged identity reveal exists only on the staff page. A non-denunciation's
petitioner is returned on the detail to users who may see the case — as the page does
(both ask `selectors.petition_view_for`).

Modules: `serializers` (answers), `inputs` (what the moves and recording accept, and
the moves as actions), `filters`, `viewsets`.
"""

from __future__ import annotations

from .inputs import API_MOVES
from .viewsets import PetitionViewSet

__all__ = ["API_MOVES", "PetitionViewSet"]

"""What the competition pages share: the template filters of the competition codes (a
refused action is shown by core.forms.attempt, as everywhere)."""

from __future__ import annotations

from trainhub.competitions import display
from trainhub.competitions.views import bp

for _name, _filter in display.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)

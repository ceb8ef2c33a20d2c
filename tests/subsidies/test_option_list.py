"""The approval queue's filters draw their <option>s in one call (display.option_list):
the same markup the template loop drew, values and texts escaped, the chosen one selected."""

from __future__ import annotations

from trainhub.subsidies.display import option_list


def test_options_are_escaped_and_the_chosen_one_selected():
    html = option_list([(1, "甲 & 乙"), (2, '<b>"丙"</b>'), ("fee", "培训费")], 2)
    assert html == (
        '<option value="1">甲 &amp; 乙</option>'
        '<option value="2" selected>&lt;b&gt;&#34;丙&#34;&lt;/b&gt;</option>'
        '<option value="fee">培训费</option>')
    assert option_list([], None) == ""

"""Lists of labels in templates (a trainee's unmet provisions, a batch's delivery models)
translated once per rendering (issue 13), in the reader's language each time."""

from __future__ import annotations

from flask import render_template_string

from trainhub.training.display import DELIVERY_MODEL_LABELS, PROVISION_LABELS, names


def test_label_lists_read_as_names_writes_them_in_each_language(app):
    template = ("{{ a|provisions }}|{{ b|provisions }}|{{ c|provisions }}|"
                "{{ models|delivery_models }}")
    values = {"a": ["sign_language", "braille"], "b": ["braille"], "c": ["unknown"],
              "models": list(DELIVERY_MODEL_LABELS)[:2]}
    for cookie in ("", "trainhub_lang=en"):
        with app.test_request_context("/", headers={"Cookie": cookie} if cookie else {}):
            expected = "|".join([names(PROVISION_LABELS, values["a"]),
                                 names(PROVISION_LABELS, values["b"]), "unknown",
                                 names(DELIVERY_MODEL_LABELS, values["models"])])
            assert render_template_string(template, **values) == expected
    with app.test_request_context("/"):
        assert "手语" in render_template_string("{{ a|provisions }}", a=["sign_language"])

#!/usr/bin/env bash
# Translation workflow for TrainHub (UI msgids are English; the default UI language is zh_Hans_CN).
#   scripts/i18n.sh extract   # source → trainhub/translations/messages.pot
#   scripts/i18n.sh update    # .pot → zh_Hans_CN messages.po (created if missing)
#   scripts/i18n.sh compile   # .po → .mo (the .mo files are not committed; `make setup` runs this)
#   scripts/i18n.sh all       # extract, update, compile
# After `update`, translate every new or empty msgstr; tests/unit/test_translations.py fails
# while any string is untranslated.
# Flask-Babel 4 parses "zh_CN" as zh_Hans_CN, so the catalog lives under zh_Hans_CN.
# Environment: PYBABEL (default .venv/bin/pybabel); I18N_POT overrides where `extract` writes
# (the test extracts into a temporary file with exactly these options).
set -euo pipefail

cd "$(dirname "$0")/.."

PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
TRANSLATIONS=trainhub/translations
POT="${I18N_POT:-$TRANSLATIONS/messages.pot}"
LOCALE=zh_Hans_CN
PO="$TRANSLATIONS/$LOCALE/LC_MESSAGES/messages.po"

extract() {
    mkdir -p "$(dirname "$POT")"
    # Input is the project root: babel.cfg's patterns (trainhub/**.py, templates/**.html) are
    # relative to it. node_modules is skipped for speed.
    # Keywords besides babel's defaults (_, gettext, ngettext, N_, ...): _l/lazy_gettext, and the
    # domain errors whose message argument is an English msgid translated when shown
    # (DomainError/NotFound: 1st argument; IdNumberError(code, message): 2nd). Message
    # constants kept in dicts or module variables must be wrapped in a marker to be extracted.
    "$PYBABEL" -q extract -F babel.cfg -k _l -k lazy_gettext \
        -k DomainError -k NotFound -k IdNumberError:2 \
        --no-location --sort-output --no-wrap \
        --ignore-dirs=".* ._ node_modules __pycache__" \
        --project=TrainHub --copyright-holder="Jiangxi Disabled Persons' Federation" \
        -o "$POT" .
}

update() {
    [[ -f "$POT" ]] || extract
    if [[ -f "$PO" ]]; then
        "$PYBABEL" update -i "$POT" -d "$TRANSLATIONS" -l "$LOCALE" \
            --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --no-wrap
    else
        "$PYBABEL" init -i "$POT" -d "$TRANSLATIONS" -l "$LOCALE" --no-wrap
    fi
}

compile() {
    "$PYBABEL" compile -d "$TRANSLATIONS" --statistics
}

case "${1:-}" in
    extract) extract ;;
    update) update ;;
    compile) compile ;;
    all) extract; update; compile ;;
    *) echo "usage: $0 {extract|update|compile|all}" >&2; exit 2 ;;
esac

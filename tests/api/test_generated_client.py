"""Other systems as clients (数据互联互通): a client generated from /api/v1/openapi.json by a
standard generator (openapi-python-client) calls the live test app, through httpx's WSGI
transport, with a bearer token, and gets typed answers and typed errors back. Generated once
per session (a second or two) in a temporary folder."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

PACKAGE = "generated_trainhub_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="session")
def generated(app, tmp_path_factory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("client")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(app.test_client().get("/api/v1/openapi.json").json))
    config = folder / "config.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--meta", "none", "--config",
         str(config), "--output-path", str(folder / PACKAGE)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _part(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(app, generated: ModuleType, username: str) -> Any:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "generated client")
        db.session.commit()
    return generated.AuthenticatedClient(
        base_url="http://localhost", token=secret, raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=app)})


def test_functions_are_named_after_the_operation_ids(generated):
    training = _part("api.training")
    assert hasattr(importlib.import_module(f"{training.__name__}.list_training_batches"),
                   "sync")
    assert not list((Path(generated.__file__).parent / "api").rglob("*api_v1*"))


def test_a_generated_client_reads_people_in_scope(app, make, generated):
    core, models = _part("api.core"), _part("models")
    for name in ("get_current_user", "list_regions", "list_people", "get_person"):
        importlib.import_module(f"{core.__name__}.{name}")
    officer = make.user("federation_officer", region_code="3601")
    person = make.person("360102", name="南昌人")
    outside = make.person("360702", name="赣州人")
    client = _client(app, generated, officer)

    me = core.get_current_user.sync(client=client)
    assert isinstance(me, models.MeOut) and me.username == officer and me.region_code == "3601"
    assert len(core.list_regions.sync(client=client)) == 112
    listed = core.list_people.sync(client=client, per_page=10)
    assert isinstance(listed, models.PeoplePage) and [p.name for p in listed.items] == ["南昌人"]
    one = core.get_person.sync(person, client=client)
    assert one.id == person and "*" in one.id_number_masked
    refused = core.get_person.sync_detailed(outside, client=client)
    assert refused.status_code == 403 and isinstance(refused.parsed, models.ErrorOut)
    assert refused.parsed.status == 403


def test_a_generated_client_posts_a_demand_and_reads_it_back(app, make, generated):
    training, models = _part("api.training"), _part("models")
    for name in ("create_training_demand", "get_training_demand", "list_training_demands"):
        importlib.import_module(f"{training.__name__}.{name}")
    contact = make.user("enterprise_contact", enterprise_id=make.enterprise("360102"))
    client = _client(app, generated, contact)
    body = models.DemandIn.from_dict({
        "title": "招聘保健按摩师", "occupation": "保健按摩师", "category": "massage",
        "head_count": 10, "region_code": "360102", "monthly_wage_fen": 350000,
        "hire_commitment": 5, "deadline": str(local_today() + timedelta(days=30))})

    created = training.create_training_demand.sync(client=client, body=body)
    assert isinstance(created, models.DemandOut) and created.title == "招聘保健按摩师"
    again = training.get_training_demand.sync(created.id, client=client)
    assert (again.id, again.head_count) == (created.id, 10)
    listed = training.list_training_demands.sync(client=client)
    assert created.id in [d.id for d in listed.items]

"""Static files served by Django (no nginx in front): an ETag for each representation.

whitenoise gave the plain, gzip and brotli bytes one ETag; REDbot flags that ("The ETag
doesn't change between negotiated representations").
"""

import gzip
from http import HTTPStatus

import brotli
import pytest

from config.static import RepresentationStaticFile

CSS = b"body { color: #222; }\n" * 200


@pytest.fixture
def static_file(tmp_path) -> RepresentationStaticFile:
    path = tmp_path / "site.css"
    path.write_bytes(CSS)
    (tmp_path / "site.css.gz").write_bytes(gzip.compress(CSS))
    (tmp_path / "site.css.br").write_bytes(brotli.compress(CSS))
    encodings = {"gzip": f"{path}.gz", "br": f"{path}.br"}
    return RepresentationStaticFile(str(path), [("Content-Type", "text/css")], encodings=encodings)


def get(static_file, accept: str = "", **headers):
    response = static_file.get_response("GET", {"HTTP_ACCEPT_ENCODING": accept, **headers})
    if response.file is not None:
        response.file.close()
    return response.status, dict(response.headers)


def test_each_encoding_has_its_own_etag(static_file):
    _, plain = get(static_file)
    _, zipped = get(static_file, "gzip")
    _, brotlied = get(static_file, "gzip, br")

    assert (plain.get("Content-Encoding"), zipped["Content-Encoding"]) == (None, "gzip")
    assert brotlied["Content-Encoding"] == "br"
    assert len({plain["ETag"], zipped["ETag"], brotlied["ETag"]}) == 3
    assert plain["Vary"] == zipped["Vary"] == brotlied["Vary"] == "Accept-Encoding"


def test_a_304_only_for_the_representation_the_client_holds(static_file):
    _, zipped = get(static_file, "gzip")

    same, headers = get(static_file, "gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    other, _ = get(static_file, "", HTTP_IF_NONE_MATCH=zipped["ETag"])
    listed, _ = get(static_file, "gzip", HTTP_IF_NONE_MATCH=f'"other", {zipped["ETag"]}')

    assert same == listed == HTTPStatus.NOT_MODIFIED
    assert headers["ETag"] == zipped["ETag"]
    assert other == HTTPStatus.OK  # a client without gzip never gets a 304 for gzip bytes


@pytest.mark.django_db
def test_static_files_may_be_kept_by_every_cache_without_public(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "max-age=60"

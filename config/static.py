"""Static files when Django serves them itself (no nginx in front): whitenoise, with an ETag for
each representation.

whitenoise gives the plain, gzip and brotli bytes of a file one ETag, so a cache that stored the
gzip bytes could answer a client that cannot read gzip with a 304 for them (RFC 9110 8.8.3: a
strong ETag names one representation). Here each encoding gets its own (`"…-gzip"`, `"…-br"`)
and `If-None-Match` is compared with the ETag of the representation the request would get.
In production nginx serves /static/ (config/nginx/), whose ETags already differ per file.
"""

import os
from http import HTTPStatus
from wsgiref.headers import Headers

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import (
    NOT_ALLOWED_RESPONSE,
    NOT_MODIFIED_HEADERS,
    MissingFileError,
    Response,
    StaticFile,
)


class RepresentationStaticFile(StaticFile):
    """A whitenoise file whose encoded alternatives carry ETags of their own."""

    def get_alternatives(self, base_headers, files):
        alternatives = []
        for pattern, path, items in StaticFile.get_alternatives(base_headers, files):
            headers = Headers(list(items))
            encoding = headers.get("Content-Encoding")
            if encoding and headers.get("ETag"):
                headers["ETag"] = headers["ETag"][:-1] + f'-{encoding}"'
            alternatives.append((pattern, path, headers.items()))
        return alternatives

    def get_response(self, method, request_headers):
        if method not in ("GET", "HEAD"):
            return NOT_ALLOWED_RESPONSE
        path, headers = self.get_path_and_headers(request_headers)
        if self._not_modified(request_headers, dict(headers).get("ETag")):
            kept = [(name, value) for name, value in headers if name in NOT_MODIFIED_HEADERS]
            return Response(HTTPStatus.NOT_MODIFIED, kept, None)
        file_handle = open(path, "rb") if method != "HEAD" else None  # noqa: SIM115
        if request_headers.get("HTTP_RANGE"):
            try:
                return self.get_range_response(request_headers["HTTP_RANGE"], headers, file_handle)
            except ValueError:  # an unusable Range is ignored, as RFC 9110 allows
                pass
        return Response(HTTPStatus.OK, headers, file_handle)

    def _not_modified(self, request_headers, etag: str | None) -> bool:
        candidates = request_headers.get("HTTP_IF_NONE_MATCH")
        if candidates is None:
            return self.is_not_modified(request_headers)  # If-Modified-Since
        wanted = etag.removeprefix("W/") if etag else None
        tags = {tag.strip().removeprefix("W/") for tag in candidates.split(",")}
        return "*" in tags or wanted in tags


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise's middleware, serving `RepresentationStaticFile`s, with nginx's
    `Cache-Control` (no `public`: it adds nothing here, and REDbot warns that it is
    unnecessary)."""

    def add_cache_headers(self, headers, path, url):
        if self.immutable_file_test(path, url):
            headers["Cache-Control"] = f"max-age={self.FOREVER}, immutable"
        elif self.max_age is not None:
            headers["Cache-Control"] = f"max-age={self.max_age}"

    def get_static_file(self, path, url, stat_cache=None):
        # whitenoise's own, with the class swapped.
        if stat_cache is None and not os.path.exists(path):
            raise MissingFileError(path)
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        if self.allow_all_origins:
            headers["Access-Control-Allow-Origin"] = "*"
        if self.add_headers_function is not None:
            self.add_headers_function(headers, path, url)
        return RepresentationStaticFile(
            path,
            headers.items(),
            stat_cache=stat_cache,
            encodings={"gzip": path + ".gz", "br": path + ".br"},
        )

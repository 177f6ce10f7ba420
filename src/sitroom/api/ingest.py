"""POST /api/ingest: read articles (text, URLs or uploaded files) and run the whole pipeline.

Three bodies are accepted, told apart by Content-Type:

- `application/json` `{"text", "title"?, "id"?, "published"?, "source"?, "url"?}`: one article;
- `application/json` `{"urls": [...]}`: pages or feeds to fetch (public addresses only, unless
  the server allows private ones);
- `multipart/form-data` with one or more `file` parts: .txt, .html or .jsonl files.

The answer is the run's IngestSummary. Writes need the bearer token (see security.py).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from sitroom import codec
from sitroom.api.deps import get_store, json_response
from sitroom.api.errors import ApiError, bad_request
from sitroom.api.security import check_urls, require_writer
from sitroom.config import ApiSettings
from sitroom.api.schemas import IngestSummaryOut
from sitroom.model import Article, IngestSummary
from sitroom.runners.local import ingest_articles, ingest_sources
from sitroom.store.base import Store

router = APIRouter(prefix="/api/ingest", tags=["ingest"])


class IngestText(BaseModel):
    """One article given as text."""

    text: str = Field(..., min_length=1)
    title: str | None = None
    id: str | None = Field(None, max_length=200, description="defaults to api_ + a hash of the text")
    published: date | None = None
    source: str | None = None
    url: str | None = None


class IngestUrls(BaseModel):
    """Web pages or RSS/Atom feeds to fetch and ingest."""

    urls: list[str] = Field(..., min_length=1)



async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused past `limit` bytes without reading the rest."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"request body of {declared} bytes is over the {limit}-byte limit; send smaller batches")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"request body is over the {limit}-byte limit; send smaller batches")
        chunks.append(chunk)
    return b"".join(chunks)


def _summary(summary: IngestSummary) -> Response:
    data = codec.to_jsonable(summary)
    data["skipped"] = [{"origin": r["origin"], "reason": r["reason"], "detail": r["detail"]} for r in data.get("skipped") or ()]
    return json_response(data)


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"oneOf": [IngestText.model_json_schema(), IngestUrls.model_json_schema()]}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}
            },
        },
    }
}


@router.post("", dependencies=[Depends(require_writer)], openapi_extra=_BODY_DOC, response_model=IngestSummaryOut)
async def ingest(request: Request, store: Store = Depends(get_store)) -> Response:
    """Run the pipeline over one text, a list of URLs or uploaded files; returns the IngestSummary."""
    settings: ApiSettings = request.app.state.settings
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        return await _ingest_files(request, store, settings)
    if ctype != "application/json":
        raise ApiError(415, "send application/json ({\"text\": ...} or {\"urls\": [...]}) or multipart/form-data files")
    raw = await _read_body(request, settings.max_upload_bytes)
    try:
        import json

        payload = json.loads(raw or b"null")
    except (ValueError, RecursionError) as exc:  # RecursionError: arrays nested thousands deep
        raise bad_request(f"the body is not valid JSON ({exc}); send {{\"text\": ...}} or {{\"urls\": [...]}}") from exc
    if not isinstance(payload, dict) or not ({"text", "urls"} & payload.keys()):
        raise bad_request('the JSON body needs "text" (one article) or "urls" (pages or feeds to fetch)')
    body: IngestUrls | IngestText
    try:
        if "urls" in payload:
            body = IngestUrls.model_validate(payload)
        else:
            body = IngestText.model_validate(payload)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise bad_request(f"invalid ingest body: {detail}") from exc
    if isinstance(body, IngestUrls):
        check_urls(body.urls, settings)
        summary = await run_in_threadpool(ingest_sources, body.urls, store, limits=settings.ingest_limits())
        return _summary(summary)
    digest = hashlib.sha256(body.text.encode()).hexdigest()
    article = Article(
        id=body.id or f"api_{digest[:16]}", text=body.text, title=body.title, url=body.url, source=body.source,
        published=body.published, origin="api", content_hash=digest,
    )
    summary = await run_in_threadpool(ingest_articles, [article], store)
    return _summary(summary)


async def _ingest_files(request: Request, store: Store, settings: ApiSettings) -> Response:
    """Save uploaded files to a private temp folder and ingest the folder."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise ApiError(413, f"upload of {declared} bytes is over the {settings.max_upload_bytes}-byte limit")
    form = await request.form(max_files=200)
    uploads = [v for k, v in form.multi_items() if k in ("file", "files") and hasattr(v, "filename") and hasattr(v, "read")]
    if not uploads:
        raise bad_request("no file in the upload; send files as multipart/form-data parts named 'file'")
    tmp = Path(tempfile.mkdtemp(prefix="sitroom-upload-"))
    try:
        total = 0
        for n, upload in enumerate(uploads):
            # Keep only the base name: an upload's name must never choose where it is written.
            name = Path(upload.filename or f"upload-{n}.txt").name or f"upload-{n}.txt"
            target = tmp / f"{n:03d}" / name
            target.parent.mkdir()
            with target.open("wb") as out:
                while chunk := await upload.read(1 << 16):
                    total += len(chunk)
                    if total > settings.max_upload_bytes:
                        raise ApiError(413, f"uploads are over the {settings.max_upload_bytes}-byte limit; send fewer files")
                    out.write(chunk)
        sources = [str(p) for p in sorted(tmp.glob("*/*"))]
        summary = await run_in_threadpool(ingest_sources, sources, store, limits=settings.ingest_limits())
        return _summary(summary)
    finally:
        await form.close()
        shutil.rmtree(tmp, ignore_errors=True)

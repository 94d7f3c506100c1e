"""`make lab`: JupyterLab from .venv serves the book, and a chapter runs with the book's kernel.

Starts the server headless on a free port of 127.0.0.1 (as `make lab` does, plus a token and no
browser), checks that it answers, opens a session for a chapter notebook through the REST API,
runs a cell in its kernel over the websocket, and stops the server. Bounded: 120 s to start, 120 s
for the kernel, then the server is terminated whatever happened.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "book/03_training.ipynb"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, method: str = "GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        payload = resp.read()
        return resp.status, (json.loads(payload) if payload and resp.headers.get_content_type() == "application/json" else payload)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab on 127.0.0.1, isolated from the user's Jupyter config and runtime files."""
    home = tmp_path_factory.mktemp("jupyter")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
           "--LabApp.default_url=/lab/tree/book"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root
    log = open(home / "server.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{(home / 'server.log').read_text()[-3000:]}")
            try:
                _request(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer within 120 s:\n{(home / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()


def test_lab_answers_on_localhost(lab):
    base, token, _ = lab
    status, page = _request(f"{base}/lab/tree/book", token)
    assert status == 200 and b"JupyterLab" in page
    status, listing = _request(f"{base}/api/contents/book", token)
    assert status == 200 and {"03_training.ipynb", "intro.md"} <= {item["name"] for item in listing["content"]}
    status, listing = _request(f"{base}/api/contents/assignments", token)
    assert status == 200 and any(item["name"].startswith("hw") for item in listing["content"]), "the homework is there too"


def test_lab_refuses_requests_without_the_token(lab):
    base, _, _ = lab
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(f"{base}/api/contents/book", timeout=30)
    assert exc.value.code == 403


async def _execute(url: str, code: str, timeout: float = 120.0) -> tuple[dict, str]:
    """Run ``code`` in the kernel behind a websocket URL; return the execute_reply content and stdout."""
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(url)
    msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    stdout, reply = [], None
    deadline = time.monotonic() + timeout
    while reply is None:
        raw = await asyncio.wait_for(ws.read_message(), timeout=max(1.0, deadline - time.monotonic()))
        assert raw is not None, "the kernel's websocket closed"
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            stdout.append(msg["content"]["text"])
        elif msg["msg_type"] == "execute_reply":
            reply = msg["content"]
    ws.close()
    return reply, "".join(stdout)


def test_chapter_runs_with_the_book_kernel(lab):
    base, token, port = lab
    status, nb = _request(f"{base}/api/contents/{CHAPTER}", token)
    assert status == 200 and nb["type"] == "notebook"
    kernel_name = nb["content"]["metadata"]["kernelspec"]["name"]
    status, specs = _request(f"{base}/api/kernelspecs", token)
    assert kernel_name in specs["kernelspecs"], f"the chapter's kernel {kernel_name!r} is not offered"
    status, session = _request(f"{base}/api/sessions", token, "POST",
                               {"path": CHAPTER, "type": "notebook", "name": "", "kernel": {"name": kernel_name}})
    assert status == 201
    kernel_id = session["kernel"]["id"]
    try:
        code = ("import sys, sgns_helpers as sh\n"
                "print(sys.prefix)\n"
                "print(sh.__file__)\n"
                "print(sh.unigram_noise([[1, 3], [0, 4]], power=1.0).tolist())\n")
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={token}"
        reply, out = asyncio.run(_execute(url, code))
        assert reply["status"] == "ok", reply
        prefix, module, noise = out.splitlines()
        assert Path(prefix).resolve() == Path(sys.prefix).resolve(), "the kernel is .venv's Python"
        assert Path(module).resolve() == (ROOT / "sgns_helpers" / "__init__.py").resolve(), "the editable install"
        assert noise == "[0.125, 0.875]"
    finally:
        _request(f"{base}/api/sessions/{session['id']}", token, "DELETE")

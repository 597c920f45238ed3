"""The original platform's Sinatra example app, emulated for the mock router.

A pushed app that the Ruby buildpack staged (``language: ruby`` in the mock state) is the
platform's ``cf-example-sinatra`` (see :mod:`workshop.mock.tools.sinatra`): ``/`` renders
its page with the answering instance's IP, port and index, ``/style.css`` is its
stylesheet, anything else is Sinatra 1.3's own 404 page; each request is logged by
WEBrick's access log like Rack's ``CommonLogger`` (an ``APP/<index>`` line).
"""

from __future__ import annotations

import time

from workshop.mock.router.stock import AppContext, Request, Response
from workshop.mock.tools import sinatra

HTML_TYPE = "text/html;charset=utf-8"
NOT_FOUND = """<!DOCTYPE html>
<html>
<head>
  <style type="text/css">
  body { text-align:center;font-family:helvetica,arial;font-size:22px;
    color:#888;margin:20px}
  #c {margin:0 auto;width:500px;text-align:left}
  </style>
</head>
<body>
  <h2>Sinatra doesn&rsquo;t know this ditty.</h2>
  <div id="c">
    Try this:
    <pre>get '{path}' do
  "Hello World"
end</pre>
  </div>
</body>
</html>
"""


def handle(req: Request, app: AppContext) -> Response:
    """Answer ``req`` the way the Sinatra example would."""
    method = "GET" if req.method == "HEAD" else req.method
    if method == "GET" and req.path in ("/", ""):
        body = sinatra.page(app.address[0], app.address[1], app.index)
        status, kind = 200, HTML_TYPE
    elif method == "GET" and req.path == "/style.css":
        body, status, kind = sinatra.FILES["public/style.css"], 200, "text/css"
    else:
        body, status = NOT_FOUND.replace("{path}", req.path), 404
        kind = HTML_TYPE
    data = body.encode()
    stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
    line = f'{app.address[0]} - - [{stamp}] "{req.method} {req.path} HTTP/1.1" {status} {len(data)} 0.0012'
    headers = [("Content-Type", kind), ("X-Content-Type-Options", "nosniff")]
    return Response(status, data, headers, app_logs=[line])

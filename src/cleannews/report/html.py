"""The ``html`` report: one self-contained review page (no network, no files beside it).

For each document the original and the cleaned text stand side by side; every edit
is highlighted in both (removed text struck out on the left, inserted text on the
right, a small mark where text was only removed), coloured by filter, with the
filter, rule, confidence and the reason in plain words on hover.  A bar at the top
turns each filter's highlights on and off, steps to the next / previous edit
(buttons or the ``n`` / ``p`` keys) and, for a folder run, moves between documents.

The text is laid out by the server (Python) and the script only toggles classes and
scrolls, so the page shows every edit even with scripting off.  All text goes
through :func:`html.escape`; characters a page cannot carry (lone surrogates,
controls other than tab and newline) are shown as ``\\uXXXX``.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from cleannews.edits import Edit, line_col
from cleannews.report import Document, page_script, summary, summary_line
from cleannews.report.wording import explain

#: highlight colours per filter (others get a neutral colour).
COLOURS = {"spam": "#f4a3a3", "spinning": "#f7d774", "fiction": "#a9c8f5"}
OTHER_COLOUR = "#c9b6e8"


def _safe(s: str) -> str:
    out = []
    for ch in s:
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return html.escape("".join(out), quote=True)


def _filter_class(name: str) -> str:
    return "f-" + "".join(c if c.isalnum() else "_" for c in name)


def _title(edit: Edit, script: str, starts: Sequence[int]) -> str:
    line, col = line_col(starts, edit.start)
    lines = [f"{edit.filter} · {edit.rule} · confidence {edit.confidence:.2f} · {line}:{col}",
             explain(edit, script)]
    for inner in edit.absorbs:
        for step in inner.all_steps():
            lines.append(f"↳ also {step.filter} ({step.rule}, {step.confidence:.2f}): "
                         f"{explain(step, script)}")
    return "\n".join(lines)


def _panes(doc: Document, d: int) -> tuple[str, str]:
    """(original, cleaned) HTML of one document, each edit a span carrying ``data-e``."""
    assert doc.result is not None
    result = doc.result
    text = result.text
    script = page_script(text)
    starts = result.line_starts
    left: list[str] = []
    right: list[str] = []
    pos = 0
    for k, edit in enumerate(result.edits):
        same = _safe(text[pos : edit.start])
        left.append(same)
        right.append(same)
        cls = f"e {_filter_class(edit.filter)}"
        title = _safe(_title(edit, script, starts))
        attrs = f'data-e="{k}" data-f="{html.escape(edit.filter)}" title="{title}"'
        ident = f"d{d}e{k}"
        if edit.before:
            left.append(f'<del class="{cls}" id="{ident}o" {attrs}>{_safe(edit.before)}</del>')
        else:
            left.append(f'<span class="{cls} mark" id="{ident}o" {attrs}></span>')
        if edit.after:
            right.append(f'<ins class="{cls}" id="{ident}c" {attrs}>{_safe(edit.after)}</ins>')
        else:
            right.append(f'<span class="{cls} mark" id="{ident}c" {attrs}></span>')
        pos = edit.end
    tail = _safe(text[pos:])
    left.append(tail)
    right.append(tail)
    return "".join(left), "".join(right)


def _doc_section(doc: Document, d: int) -> str:
    name = _safe(doc.path)
    if doc.result is None:
        body = f'<p class="error">cannot clean this document: {_safe(doc.error or "")}</p>'
        return f'<section class="doc" id="doc{d}" data-edits="0"><h2>{name}</h2>{body}</section>'
    result = doc.result
    counts = ", ".join(f"{k} {v}" for k, v in result.counts().items()) or "no edits"
    status = f"{len(result.steps())} edits ({counts})" if result.changed else "unchanged"
    original, cleaned = _panes(doc, d)
    return (
        f'<section class="doc" id="doc{d}" data-edits="{len(result.edits)}">'
        f'<h2>{name} <small>{_safe(status)}</small></h2>'
        '<div class="panes">'
        f'<div class="pane"><h3>original</h3><pre class="text orig">{original}</pre></div>'
        f'<div class="pane"><h3>cleaned</h3><pre class="text clean">{cleaned}</pre></div>'
        "</div></section>"
    )


def _style(filters: Sequence[str]) -> str:
    rules = []
    for name in filters:
        colour = COLOURS.get(name, OTHER_COLOUR)
        cls = _filter_class(name)
        rules.append(f".{cls}{{background:{colour}}} .{cls}.mark{{border-color:{colour}}}"
                     f" body.hide-{cls} .{cls}{{background:none;border-color:transparent;"
                     "text-decoration:none;outline:none}")
    return _CSS + "\n".join(rules)


_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#222}
header{position:sticky;top:0;background:#f6f6f6;border-bottom:1px solid #ccc;padding:6px 12px;z-index:2}
header .row{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header h1{font-size:16px;margin:0 12px 0 0}
button,select{font:inherit;font-size:13px}
label.toggle{font-size:13px;padding:2px 6px;border-radius:4px}
.doc{display:none;padding:0 12px 24px}
.doc.shown{display:block}
.doc h2{font-size:15px;margin:12px 0 6px}
.doc h2 small{font-weight:normal;color:#555}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.pane h3{font-size:13px;margin:0 0 4px;color:#555}
pre.text{white-space:pre-wrap;word-break:break-all;font-family:inherit;font-size:15px;line-height:1.7;
  border:1px solid #ddd;padding:8px;margin:0;background:#fff}
del.e{text-decoration:line-through}
ins.e{text-decoration:none}
del.e,ins.e{box-shadow:inset 1px 0 rgba(0,0,0,.25);border-radius:2px}
.e.mark{display:inline-block;width:0;height:1.1em;border-left:3px solid;vertical-align:middle}
.e.current{outline:2px solid #d00;outline-offset:1px}
.error{color:#a00}
#where{font-size:13px;color:#444;min-width:9em}
"""

_JS = """
(function(){
  var docs=[].slice.call(document.querySelectorAll('section.doc'));
  var sel=document.getElementById('docsel');
  var where=document.getElementById('where');
  var cur=0, at=-1;
  function visible(){
    var hidden={};
    [].forEach.call(document.querySelectorAll('input.ftoggle'),function(b){if(!b.checked)hidden[b.value]=1;});
    return [].slice.call(docs[cur].querySelectorAll('pre.orig .e')).filter(function(e){
      return !hidden[e.getAttribute('data-f')];});
  }
  function clear(){[].forEach.call(document.querySelectorAll('.e.current'),function(e){
    e.classList.remove('current');});}
  function status(){
    var v=visible();
    where.textContent=(at>=0&&at<v.length?(at+1)+' / '+v.length:v.length+' edits');
  }
  function show(d){
    docs.forEach(function(s,i){s.classList.toggle('shown',i===d);});
    cur=d; at=-1; clear(); if(sel) sel.value=String(d); status();
  }
  function go(step){
    var v=visible(); if(!v.length){status();return;}
    at=(at<0&&step<0)?v.length-1:(at+step+v.length)%v.length;
    clear();
    var k=v[at].getAttribute('data-e');
    [].forEach.call(docs[cur].querySelectorAll('.e[data-e="'+k+'"]'),function(e){
      e.classList.add('current'); e.scrollIntoView({block:'center'});});
    status();
  }
  document.getElementById('next').onclick=function(){go(1);};
  document.getElementById('prev').onclick=function(){go(-1);};
  if(sel){
    sel.onchange=function(){show(parseInt(sel.value,10));};
    document.getElementById('nextdoc').onclick=function(){show((cur+1)%docs.length);};
    document.getElementById('prevdoc').onclick=function(){show((cur-1+docs.length)%docs.length);};
  }
  [].forEach.call(document.querySelectorAll('input.ftoggle'),function(b){
    b.onchange=function(){document.body.classList.toggle('hide-'+b.getAttribute('data-cls'),!b.checked);
      at=-1; clear(); status();};
  });
  document.addEventListener('keydown',function(ev){
    if(ev.target&&ev.target.tagName==='SELECT')return;
    if(ev.key==='n'||ev.key==='j')go(1);
    else if(ev.key==='p'||ev.key==='k')go(-1);
  });
  show(0);
})();
"""


def render_html(docs: Sequence[Document], filters: Sequence[str] = ()) -> str:
    """The whole page as one string."""
    counts = summary(docs)["counts"]
    names = list(dict.fromkeys([*filters, *counts]))
    toggles = "".join(
        f'<label class="toggle {_filter_class(n)}"><input type="checkbox" class="ftoggle" checked '
        f'value="{html.escape(n)}" data-cls="{_filter_class(n)}"> {html.escape(n)} '
        f'({counts.get(n, 0)})</label>'
        for n in names
    )
    nav_docs = ""
    if len(docs) > 1:
        options = "".join(f'<option value="{d}">{_safe(doc.path)}</option>' for d, doc in enumerate(docs))
        nav_docs = ('<button id="prevdoc" title="previous document">◀ doc</button>'
                    f'<select id="docsel" aria-label="document">{options}</select>'
                    '<button id="nextdoc" title="next document">doc ▶</button>')
    sections = "".join(_doc_section(doc, d) for d, doc in enumerate(docs))
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\">"
        f"<title>cleannews review: {_safe(summary_line(docs))}</title>"
        f"<style>{_style(names)}</style></head><body>"
        f'<header><div class="row"><h1>cleannews review</h1><span>{_safe(summary_line(docs))}</span></div>'
        f'<div class="row">{toggles}'
        '<button id="prev" title="previous edit (p)">◀ edit</button><span id="where"></span>'
        f'<button id="next" title="next edit (n)">edit ▶</button>{nav_docs}</div></header>'
        f"<main>{sections}</main><script>{_JS}</script></body></html>\n"
    )


def write_html(docs: Sequence[Document], stream: TextIO, filters: Sequence[str] = ()) -> None:
    stream.write(render_html(docs, filters))

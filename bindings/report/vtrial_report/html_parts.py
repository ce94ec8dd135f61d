"""The pieces of the page: numbers, tables, figures. Every number read from a result file carries
where it came from (data-file: the file's position on the command line; data-path: the dataset
and data-index: its row, or @name for a root attribute) and its full value (data-value), so a
reader's tool, or the test suite, can check the page against the file."""
import html
import math

esc = html.escape


def _finite(value):
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def num(value, digits=3, src=None, signed=False):
    """A number as shown (fixed digits; "n/a" where there is none), marked with its source."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return esc(str(value))
    if math.isnan(value):
        text = "n/a"
    elif math.isinf(value):
        text = "∞" if value > 0 else "-∞"
    else:
        text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if src is None:
        return f'<span class="num">{text}</span>'
    file_index, path, index = src
    where = f' data-index="{index}"' if index is not None else ""
    return (f'<span class="num" data-file="{file_index}" data-path="{esc(path)}"{where} '
            f'data-digits="{digits}" data-value="{value!r}">{text}</span>')


def interval(low, high, digits=3, src_low=None, src_high=None):
    return f"[{num(low, digits, src_low)}, {num(high, digits, src_high)}]"


def table(headers, rows, caption=None, numeric_from=1, cls="data"):
    """A table; cells are HTML (already escaped); columns from numeric_from on are right-aligned."""
    out = [f'<div class="table-wrap"><table class="{cls}">']
    if caption:
        out.append(f"<caption>{caption}</caption>")
    right = ' class="n"'
    out.append("<thead><tr>" + "".join(
        f'<th scope="col"{right if i >= numeric_from else ""}>{h}</th>' for i, h in enumerate(headers)) +
               "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f'<td{right if i >= numeric_from else ""}>{cell}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def figure(fig_id, title, svg, caption, table_html):
    """A figure with its title, the drawing, a caption saying what it shows, and its numbers."""
    return (f'<figure class="chart" id="{fig_id}">\n<h4 class="fig-title">{esc(title)}</h4>\n{svg}\n'
            f"<figcaption>{caption}</figcaption>\n"
            f'<div class="fig-data"><p class="fig-data-title">The numbers of this figure</p>\n{table_html}</div>\n'
            "</figure>")


def section(section_id, title, blocks, intro=None, stacked=False):
    """A section of the page; blocks (one per result file, usually) sit side by side on screen,
    unless stacked (wide tables)."""
    if not blocks:
        return ""
    grid = "grid" if len(blocks) > 1 and not stacked else "single"
    body = "\n".join(f'<div class="block">{b}</div>' for b in blocks)
    lead = f"<p>{intro}</p>\n" if intro else ""
    return f'<section id="{section_id}">\n<h2>{esc(title)}</h2>\n{lead}<div class="{grid}">\n{body}\n</div>\n</section>'

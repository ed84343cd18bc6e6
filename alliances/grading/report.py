"""Item analysis: how the class did on each question of an exercise (one HTML page).

For each question: the share of the class that got it right, the mean score,
the most common wrong answers (read from the JSON answers) and the messages
students received most often; and a histogram of the totals. The page is
self-contained and works offline: its charts are Altair charts rendered to
SVG (``vl-convert``), so it needs no JavaScript and its bytes are the same on
every run. An instructor reads it to decide what to reteach.
"""
from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .batch import Result
from .key import ExerciseKey
from .score import CORRECT


@dataclass(frozen=True)
class QuestionStats:
    qid: str
    label: str
    answered: int           # submissions with a result for it
    right: int
    mean: float
    possible: int
    wrong_answers: list[tuple[str, int]]
    messages: list[tuple[str, int]]

    @property
    def share_right(self) -> float:
        return self.right / self.answered if self.answered else 0.0


def answer_label(answer: object) -> str:
    """A short, readable form of a JSON answer."""
    if answer is None:
        return "(none)"
    if isinstance(answer, dict) and "__chart__" in answer:
        spec = answer["__chart__"]
        mark = spec.get("mark") if isinstance(spec, dict) else None
        mark = mark.get("type") if isinstance(mark, dict) else mark
        return f"a chart ({mark} mark)"
    if isinstance(answer, dict) and "__blank__" in answer:
        return "(blank: ...)"
    text = json.dumps(answer, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def statistics(results: list[Result], key: ExerciseKey, top: int = 5) -> list[QuestionStats]:
    """Per-question figures over the graded, counting results of one exercise."""
    mine = [r for r in results if r.exercise == key.exercise and r.questions
            and not r.superseded_by]
    stats = []
    for q in key.questions:
        got = [r for r in mine if q.qid in r.questions]
        right = sum(1 for r in got if r.questions[q.qid].result == CORRECT)
        points = [r.points_of(q.qid) for r in got]
        wrong = Counter(answer_label(r.questions[q.qid].answer) for r in got
                        if r.questions[q.qid].result != CORRECT
                        and r.questions[q.qid].answer is not None)
        messages = Counter(r.questions[q.qid].message.split(" Hint: ")[0] for r in got
                           if r.questions[q.qid].result != CORRECT)
        stats.append(QuestionStats(q.qid, q.label, len(got), right,
                                   sum(points) / len(points) if points else 0.0, q.points,
                                   _top(wrong, top), _top(messages, top)))
    return stats


def _top(counter: Counter, n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]


def share_chart(stats: list[QuestionStats]) -> alt.Chart:
    frame = pd.DataFrame({"question": [f"{s.qid}: {s.label}" for s in stats],
                          "share": [round(100 * s.share_right, 1) for s in stats]})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("share:Q", title="Share of the class right (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("question:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
    ).properties(width=360, title="Share of the class that got each question right",
                 description="Bar chart: for each question, the percentage of graded "
                             "submissions whose answer was right.")


def totals_chart(results: list[Result], key: ExerciseKey) -> alt.Chart:
    totals = [r.total for r in results if r.exercise == key.exercise and r.questions
              and not r.superseded_by]
    frame = pd.DataFrame({"total": totals})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("total:Q", bin=alt.Bin(step=1), title="Total points"),
        y=alt.Y("count():Q", title="Submissions"),
    ).properties(width=360, height=180, title="Totals of the class",
                 description="Histogram: how many submissions reached each total.")


def _svg(chart: alt.Chart) -> str:
    import vl_convert as vlc
    return vlc.vegalite_to_svg(chart.to_dict())


def render(results: list[Result], key: ExerciseKey, title: str) -> str:
    """The report page."""
    stats = statistics(results, key)
    n = len([r for r in results if r.exercise == key.exercise and r.questions
             and not r.superseded_by])
    esc = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Item analysis: {esc(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;"
        "padding:0 1rem;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
        "td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "th{background:#eee}figure{margin:1rem 0}svg{max-width:100%;height:auto}</style>",
        "</head><body>", f"<h1>Item analysis: {esc(title)}</h1>",
        f"<p>{n} graded submission(s) counted (superseded duplicates left out). "
        "Hand marks count where they replace the grader's.</p>",
        "<h2>Overview</h2>", "<table><thead><tr><th>Question</th><th>Right</th>"
        "<th>Share right</th><th>Mean score</th></tr></thead><tbody>"]
    for s in stats:
        parts.append(f"<tr><td>{esc(s.qid)}: {esc(s.label)}</td><td>{s.right} of {s.answered}</td>"
                     f"<td>{100 * s.share_right:.0f}%</td><td>{s.mean:.2f} of {s.possible}</td></tr>")
    parts.append("</tbody></table>")
    for chart in (share_chart(stats), totals_chart(results, key)):
        spec = chart.to_dict()
        parts.append(f'<figure role="img" aria-label="{esc(spec["description"])}">{_svg(chart)}'
                     f"<figcaption>{esc(spec['description'])}</figcaption></figure>")
    parts.append("<h2>Question by question</h2>")
    for s in stats:
        parts.append(f"<h3>{esc(s.qid)}: {esc(s.label)}</h3>")
        parts.append(f"<p>{s.right} of {s.answered} right ({100 * s.share_right:.0f}%); mean "
                     f"{s.mean:.2f} of {s.possible}.</p>")
        for heading, rows in (("Most common wrong answers", s.wrong_answers),
                              ("Messages received most often", s.messages)):
            if not rows:
                continue
            parts.append(f"<table><thead><tr><th>{heading}</th><th>Submissions</th></tr>"
                         "</thead><tbody>")
            parts += [f"<tr><td>{esc(text)}</td><td>{count}</td></tr>" for text, count in rows]
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

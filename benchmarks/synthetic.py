"""N synthetic meetings of realistic shape, written for benchmarking growth (not real papers).

Varied bodies, dates, item counts, paragraphs with figures and names, RESOLVED decisions, a private-session
item in some meetings, markdown and text files and one PDF in ten; plus a question file with gold citations
in the evaluation format, so retrieval accuracy can be watched as the archive grows.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

BODIES = [
    "Riverside Safer Communities Board",
    "Northfield Community Safety Partnership",
    "Eastbay Health and Wellbeing Board",
    "Westmoor Youth Justice Partnership",
    "Southdown Licensing Committee",
    "Harbourside Crime and Disorder Panel",
]
PLACES = ["Millbrook", "Ashford Vale", "Kingsmere", "Larkhill", "Oakwood", "Fenwick", "Stonebridge", "Marlow Quay"]
TOPICS = [
    ("Night-Time Economy Wardens", "patrol hours", "late-night disorder calls"),
    ("Street Lighting Upgrade", "lamp columns", "reported falls after dark"),
    ("Youth Outreach Grants", "youth sessions", "first-time entrants to youth justice"),
    ("Domestic Abuse Refuge Places", "refuge places", "repeat referrals"),
    ("Fly-Tipping Enforcement", "fixed penalty notices", "fly-tipping reports"),
    ("Road Safety Camera Review", "speed checks", "serious collisions"),
    ("Scam Prevention Devices", "call-blocking devices", "nuisance calls"),
    ("Hate Crime Reporting Centres", "reporting centres", "hate incidents"),
    ("Knife Crime Education", "school workshops", "weapon possession offences"),
    ("Anti-Social Behaviour Case Reviews", "case reviews", "anti-social behaviour complaints"),
    ("Mental Health Street Triage", "triage shifts", "Section 136 detentions"),
    ("Community Alcohol Partnership", "test purchases", "underage sales"),
]
PEOPLE = ["Ms A Okafor", "Mr B Lindqvist", "Cllr D Marsh", "Ms E Tran", "Dr F Osei", "Mr G Rahman", "Ms H Kowalski"]
ACTIONS = ["noted", "endorsed", "approved", "agreed", "welcomed"]


def _item(rng: random.Random, topic_row: tuple[str, str, str], place: str) -> tuple[str, list[str], str, int]:
    topic, unit, measure = topic_row
    title = f"{topic} in {place}"
    cost = rng.randrange(5, 400) * 250
    person = rng.choice(PEOPLE)
    paragraphs = [
        f"{person} introduced a report on the {topic.lower()} scheme in {place}, which had delivered "
        f"{rng.randrange(12, 900)} {unit} since the last meeting.",
        f"The scheme had cost £{cost:,} against a budget of £{cost + rng.randrange(0, 40) * 250:,}, and "
        f"{measure} had changed by {rng.randrange(-35, 20)} per cent over the year.",
    ]
    if rng.random() < 0.6:
        paragraphs.append(
            f"Members asked whether the scheme could extend to {rng.choice(PLACES)}; officers undertook to "
            f"report back by {rng.choice(['June', 'September', 'December'])}."
        )
    decision = f"RESOLVED that the report on the {topic.lower()} scheme in {place} be {rng.choice(ACTIONS)}."
    return title, paragraphs, decision, cost


def generate(folder: Path, n: int, seed: int = 7) -> Path:
    """Write n meetings into folder and return the questions file (evaluation format) beside it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    day = date(2015, 1, 6)
    for m in range(n):
        day += timedelta(days=rng.randrange(3, 12))
        body = BODIES[m % len(BODIES)]
        place = rng.choice(PLACES)
        lines = [
            f"## {body.upper()}",
            "",
            f"NOTES of a meeting of the {body} held at {place} Hall on {day.strftime('%A')}, "
            f"{day.day} {day.strftime('%B %Y')}.",
            "",
            f"PRESENT: {', '.join(rng.sample(PEOPLE, 4))}",
            "",
        ]
        first = 10 + m * 20
        items = rng.randrange(5, 13)
        topics = rng.sample(TOPICS, items)
        private = rng.random() < 0.15
        for k in range(items):
            number = first + k
            if private and k == items - 1:
                lines += ["**PRIVATE SESSION**", "", "The Board considered the following item in private session.", ""]
            title, paragraphs, decision, cost = _item(rng, topics[k], place)
            lines += [f"**{number}. {title}**  ", f"(Item B{k + 1})", ""]
            for p, text in enumerate(paragraphs, 1):
                lines += [f"({p}) {text}", ""]
            lines += [decision, ""]
            if not (private and k == items - 1) and rng.random() < 0.2:
                source = f"meeting_{m:04d}.{'pdf' if m % 10 == 9 else 'md'}"
                when = f"{day.day} {day.strftime('%B %Y')}"
                questions.append(
                    {
                        "id": f"s{m:04d}-{number}",
                        "kind": "decision",
                        "question": f"What was resolved about the {title} at the {when} meeting?",
                        "role": "public",
                        "answerable": True,
                        "gold": [{"source": source, "minute_number": str(number)}],
                        "facts": [],
                        "forbid": [],
                    }
                )
                questions.append(
                    {
                        "id": f"s{m:04d}-{number}-cost",
                        "kind": "fact",
                        "question": f"How much had the {title.split(' in ')[0].lower()} scheme in {place} cost "
                        f"by {day.strftime('%B %Y')}?",
                        "role": "public",
                        "answerable": True,
                        "gold": [{"source": source, "minute_number": str(number)}],
                        "facts": [f"{cost:,}"],
                        "forbid": [],
                    }
                )
        text = "\n".join(lines) + "\n"
        if m % 10 == 9:
            _write_pdf(folder / f"meeting_{m:04d}.pdf", text)
        else:
            (folder / f"meeting_{m:04d}.md").write_text(text, encoding="utf-8")
    out = folder.parent / f"{folder.name}-questions.jsonl"
    out.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    return out


def _write_pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.replace("**", "").replace("## ", "").replace("£", "GBP ").splitlines():
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))

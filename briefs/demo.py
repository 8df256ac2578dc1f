"""Demo content for `manage.py load_demo`, written in the project's own words.

The UN facts and figures are public records; the sentences are ours. The city
council, parliament and court briefs are invented (Riverton and Norland do not
exist): they show votes of bodies other than the UN's.
"""

import datetime

from django.utils import timezone

from . import changes
from .models import (
    Attribution,
    Body,
    BodyKind,
    Brief,
    Share,
    Source,
    ThresholdBase,
    Topic,
    Vote,
)
from .services import brief_create, brief_transition

GA = "un-general-assembly"
SC = "un-security-council"
R = Attribution.REPORTED

COUNCIL_2024 = {
    "CHN": "China", "FRA": "France", "RUS": "Russian Federation",
    "GBR": "United Kingdom", "USA": "United States", "DZA": "Algeria",
    "ECU": "Ecuador", "GUY": "Guyana", "JPN": "Japan", "MLT": "Malta",
    "MOZ": "Mozambique", "KOR": "Republic of Korea", "SLE": "Sierra Leone",
    "SVN": "Slovenia", "CHE": "Switzerland",
}  # fmt: skip
COUNCIL_2025 = {
    "CHN": "China", "FRA": "France", "RUS": "Russian Federation",
    "GBR": "United Kingdom", "USA": "United States", "DZA": "Algeria",
    "DNK": "Denmark", "GRC": "Greece", "GUY": "Guyana", "PAK": "Pakistan",
    "PAN": "Panama", "KOR": "Republic of Korea", "SLE": "Sierra Leone",
    "SVN": "Slovenia", "SOM": "Somalia",
}  # fmt: skip


def council_positions(members, no=(), abstain=()):
    """Return {code: (name, position)}: everyone yes unless listed."""
    positions = {}
    for code, name in members.items():
        position = "no" if code in no else "abstain" if code in abstain else "yes"
        positions[code] = (name, position)
    return positions


def named_positions(members, no=(), abstain=()):
    """Return {code: (name, position)} for members listed as (code, name)."""
    return council_positions(dict(members), no=no, abstain=abstain)


RIVERTON = "riverton-city-council"
NORLAND_PARLIAMENT = "parliament-of-norland"
NORLAND_COURT = "supreme-court-of-norland"

# Bodies besides the UN's, each with its rule as data.
BODIES = {
    RIVERTON: {
        "name": "Riverton City Council", "short_name": "City Council",
        "kind": BodyKind.COUNCIL, "jurisdiction": "Riverton", "seats": 11,
        "threshold_base": ThresholdBase.PRESENT, "share": Share.MAJORITY,
        "aliases": "Riverton council",
    },
    NORLAND_PARLIAMENT: {
        "name": "Parliament of Norland", "short_name": "Parliament",
        "kind": BodyKind.PARLIAMENT, "jurisdiction": "Norland", "seats": 120,
        "threshold_base": ThresholdBase.MEMBERS, "share": Share.THREE_FIFTHS,
        "aliases": "Norland Parliament\nNorland's parliament",
    },
    NORLAND_COURT: {
        "name": "Supreme Court of Norland", "short_name": "Supreme Court",
        "kind": BodyKind.COURT, "jurisdiction": "Norland", "seats": 9,
        "threshold_base": ThresholdBase.MEMBERS, "share": Share.MAJORITY,
    },
}  # fmt: skip

RIVERTON_MEMBERS = [
    ("D1", "Alma Moreno"), ("D2", "Ben Okoro"), ("D3", "Chloe Varga"),
    ("D4", "Dan Fischer"), ("D5", "Esi Mensah"), ("D6", "Farid Haddad"),
    ("D7", "Grace Lin"), ("D8", "Hugo Lambert"), ("D9", "Ines Costa"),
    ("D10", "Jon Berg"), ("MAYOR", "Kara Doyle"),
]  # fmt: skip
NORLAND_JUSTICES = [
    ("J1", "Chief Justice Aune"), ("J2", "Justice Brekke"), ("J3", "Justice Dahl"),
    ("J4", "Justice Eide"), ("J5", "Justice Foss"), ("J6", "Justice Haug"),
    ("J7", "Justice Lie"), ("J8", "Justice Moe"), ("J9", "Justice Strand"),
]  # fmt: skip

SOURCES = {
    "ga-l10": (
        "https://undocs.org/A/ES-11/L.10",
        "Draft resolution A/ES-11/L.10: Advancing a comprehensive, just and lasting "
        "peace in Ukraine",
        "United Nations",
    ),
    "ga-l11": (
        "https://undocs.org/A/ES-11/L.11",
        "Draft resolution A/ES-11/L.11: The path to peace",
        "United Nations",
    ),
    "sc-2774": (
        "https://undocs.org/S/RES/2774(2025)",
        "Security Council resolution 2774 (2025)",
        "United Nations",
    ),
    "sc-draft-2024-173": (
        "https://undocs.org/S/2024/173",
        "Draft resolution S/2024/173 submitted by Algeria",
        "United Nations",
    ),
    "sc-2728": (
        "https://undocs.org/S/RES/2728(2024)",
        "Security Council resolution 2728 (2024)",
        "United Nations",
    ),
    "ga-es10-22": (
        "https://undocs.org/A/RES/ES-10/22",
        "General Assembly resolution ES-10/22: Protection of civilians and "
        "upholding legal and humanitarian obligations",
        "United Nations",
    ),
    "un-press-council": (
        "https://press.un.org/en/content/security-council/meetings-coverage",
        "Security Council meetings coverage",
        "United Nations",
    ),
    "un-press-assembly": (
        "https://press.un.org/en/content/general-assembly/meetings-coverage",
        "General Assembly meetings coverage",
        "United Nations",
    ),
}

VOTES = {
    "ga-l10": {
        "body": GA, "symbol": "A/ES-11/L.10", "date": datetime.date(2025, 2, 24),
        "title": "Resolution on a lasting peace in Ukraine, tabled by Ukraine and "
        "European states",
        "yes": 93, "no": 18, "abstain": 65, "not_voting": 17, "outcome": "adopted",
    },
    "ga-l11": {
        "body": GA, "symbol": "A/ES-11/L.11", "date": datetime.date(2025, 2, 24),
        "title": "US resolution on the path to peace, as amended",
        "yes": 93, "no": 8, "abstain": 73, "outcome": "adopted",
    },
    "sc-2774": {
        "body": SC, "symbol": "S/RES/2774 (2025)", "date": datetime.date(2025, 2, 24),
        "title": "US resolution calling for a swift end to the war in Ukraine",
        "yes": 10, "no": 0, "abstain": 5, "not_voting": 0, "outcome": "adopted",
        "positions": council_positions(
            COUNCIL_2025, abstain={"FRA", "GBR", "DNK", "GRC", "SVN"}
        ),
    },
    "sc-draft-2024-173": {
        "body": SC, "symbol": "S/2024/173", "date": datetime.date(2024, 2, 20),
        "title": "Algerian draft demanding an immediate humanitarian ceasefire in Gaza",
        "yes": 13, "no": 1, "abstain": 1, "not_voting": 0, "outcome": "vetoed",
        "positions": council_positions(COUNCIL_2024, no={"USA"}, abstain={"GBR"}),
    },
    "sc-2728": {
        "body": SC, "symbol": "S/RES/2728 (2024)", "date": datetime.date(2024, 3, 25),
        "title": "Resolution demanding a ceasefire in Gaza for Ramadan",
        "yes": 14, "no": 0, "abstain": 1, "not_voting": 0, "outcome": "adopted",
        "positions": council_positions(COUNCIL_2024, abstain={"USA"}),
    },
    "ga-es10-22": {
        "body": GA, "symbol": "A/RES/ES-10/22", "date": datetime.date(2023, 12, 12),
        "title": "Resolution demanding a humanitarian ceasefire in Gaza",
        "yes": 153, "no": 10, "abstain": 23, "outcome": "adopted",
    },
    "riverton-budget": {
        "body": RIVERTON, "date": datetime.date(2025, 3, 12),
        "title": "Riverton budget for 2025-26",
        "yes": 7, "no": 3, "abstain": 1, "not_voting": 0, "outcome": "adopted",
        "positions": named_positions(
            RIVERTON_MEMBERS, no={"D2", "D6", "D9"}, abstain={"D4"}
        ),
    },
    "norland-term-limits": {
        "body": NORLAND_PARLIAMENT, "date": datetime.date(2025, 4, 29),
        "title": "Constitutional amendment limiting prime ministers to two terms",
        "yes": 70, "no": 45, "abstain": 3, "not_voting": 2, "outcome": "rejected",
    },
    "norland-wage-ruling": {
        "body": NORLAND_COURT, "date": datetime.date(2025, 6, 2),
        "title": "Ruling that the national minimum wage law stands",
        "yes": 6, "no": 3, "abstain": 0, "not_voting": 0, "outcome": "adopted",
        "positions": named_positions(NORLAND_JUSTICES, no={"J3", "J6", "J9"}),
    },
}  # fmt: skip

TOPICS = {
    "united-nations": "United Nations",
    "ukraine": "Ukraine",
    "gaza": "Gaza",
    "security-council": "Security Council",
    "diplomacy": "Diplomacy",
    "local-government": "Local government",
    "courts": "Courts",
    "norland": "Norland",
}

BRIEFS = [
    {
        "slug": "washington-breaks-with-allies-over-ukraine-at-the-un",
        "title": "Washington breaks with its allies over Ukraine at the UN",
        "summary": "On the third anniversary of Russia's full-scale invasion, the "
        "United States stopped backing UN language that blames Moscow. It voted "
        "with Russia against a European text in the General Assembly and steered a "
        "neutral resolution of its own through the Security Council.",
        "published_at": datetime.datetime(2025, 2, 25, 9, 0, tzinfo=datetime.UTC),
        "topics": ["united-nations", "ukraine", "diplomacy"],
        "sources": ["ga-l10", "ga-l11", "sc-2774"],
        "votes": ["ga-l10", "ga-l11", "sc-2774"],
        "sections": [
            (
                "Two texts before the General Assembly",
                [
                    (
                        "A text drafted by Ukraine and European states, naming Russia as "
                        "the aggressor, was adopted with 93 votes for, 18 against and 65 "
                        "abstentions.",
                        None,
                        ["ga-l10"],
                    ),
                    (
                        "The United States voted no alongside Russia, reversing three "
                        "years of American support for such texts.",
                        None,
                        ["ga-l10"],
                    ),
                    (
                        "European states amended a shorter US text so that it named "
                        "Russia; Washington then abstained on its own draft, which passed "
                        "93-8-73.",
                        None,
                        ["ga-l11"],
                    ),
                ],
            ),
            (
                "A neutral text in the Security Council",
                [
                    (
                        "The Council adopted the US draft as resolution 2774 by 10 votes "
                        "to none; France, the United Kingdom, Denmark, Greece and Slovenia "
                        "abstained.",
                        None,
                        ["sc-2774"],
                    ),
                    (
                        "It calls for a swift end to the conflict and does not say who "
                        "started it.",
                        None,
                        ["sc-2774"],
                    ),
                    (
                        "Council decisions bind every UN member; General Assembly "
                        "resolutions do not.",
                        None,
                        [],
                    ),
                ],
            ),
            (
                "Allies left uneasy",
                [
                    (
                        "The G7 let the anniversary pass without a joint statement, "
                        "unlike in earlier years.",
                        None,
                        [],
                    ),
                    (
                        "Diplomats reportedly traced the silence to US objections to "
                        "wording that condemned Russia.",
                        R,
                        ["un-press-council"],
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "us-veto-blocks-council-call-for-gaza-ceasefire",
        "title": "US veto blocks a Security Council call for a Gaza ceasefire",
        "summary": "The United States vetoed an Algerian draft that demanded an "
        "immediate humanitarian ceasefire in Gaza. Thirteen Council members voted "
        "for it and the United Kingdom abstained; Washington said the text could "
        "derail talks on freeing hostages.",
        "published_at": datetime.datetime(2024, 2, 21, 8, 30, tzinfo=datetime.UTC),
        "topics": ["united-nations", "gaza", "security-council"],
        "sources": ["sc-draft-2024-173", "un-press-council"],
        "votes": ["sc-draft-2024-173"],
        "sections": [
            (
                "The vote",
                [
                    (
                        "The draft drew 13 votes in favour, 1 against and 1 abstention; "
                        "the single vote against came from a permanent member, so it "
                        "counted as a veto.",
                        None,
                        ["sc-draft-2024-173"],
                    ),
                    (
                        "It was the third time since October 2023 that the United States "
                        "blocked a Council text on the war.",
                        None,
                        [],
                    ),
                ],
            ),
            (
                "The arguments",
                [
                    (
                        "US officials were reported to fear that the text would undercut "
                        "negotiations on a pause in fighting and the release of hostages.",
                        R,
                        ["un-press-council"],
                    ),
                    (
                        "Algeria and most other members said the humanitarian situation "
                        "could not wait for those talks.",
                        None,
                        ["un-press-council"],
                    ),
                    (
                        "Washington circulated a draft of its own calling for a temporary "
                        "ceasefire as soon as practicable.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "council-demands-ramadan-ceasefire-in-gaza",
        "title": "Security Council demands a Ramadan ceasefire in Gaza",
        "summary": "For the first time since the war in Gaza began, the Security "
        "Council demanded a ceasefire. Resolution 2728 passed with 14 votes after "
        "the United States, which had vetoed earlier texts, chose to abstain.",
        "published_at": datetime.datetime(2024, 3, 25, 18, 0, tzinfo=datetime.UTC),
        "topics": ["united-nations", "gaza", "security-council"],
        "sources": ["sc-2728", "un-press-council"],
        "votes": ["sc-2728"],
        "sections": [
            (
                "The resolution",
                [
                    (
                        "Resolution 2728 was adopted by 14 votes to none, with the United "
                        "States abstaining.",
                        None,
                        ["sc-2728"],
                    ),
                    (
                        "It demands an immediate ceasefire for the month of Ramadan and "
                        "the unconditional release of all hostages.",
                        None,
                        ["sc-2728"],
                    ),
                ],
            ),
            (
                "Why it matters",
                [
                    (
                        "An abstention by a permanent member is not a veto, so the text "
                        "went through.",
                        None,
                        [],
                    ),
                    (
                        "US officials reportedly described the resolution as non-binding, "
                        "a reading several other members rejected.",
                        R,
                        ["un-press-council"],
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "assembly-backs-gaza-humanitarian-ceasefire",
        "title": "General Assembly backs a humanitarian ceasefire in Gaza",
        "summary": "Days after a US veto stopped a similar text in the Security "
        "Council, the General Assembly demanded an immediate humanitarian ceasefire "
        "in Gaza by a wide margin: 153 states in favour, 10 against.",
        "published_at": datetime.datetime(2023, 12, 13, 7, 0, tzinfo=datetime.UTC),
        "topics": ["united-nations", "gaza"],
        "sources": ["ga-es10-22", "un-press-assembly"],
        "votes": ["ga-es10-22"],
        "sections": [
            (
                "The vote",
                [
                    (
                        "The Assembly adopted the resolution with 153 in favour, 10 "
                        "against and 23 abstentions.",
                        None,
                        ["ga-es10-22"],
                    ),
                    (
                        "Support rose from the 120 votes that an October resolution on "
                        "the same war had gathered.",
                        None,
                        ["un-press-assembly"],
                    ),
                ],
            ),
            (
                "What it asks",
                [
                    (
                        "It demands an immediate humanitarian ceasefire and the "
                        "unconditional release of all hostages.",
                        None,
                        ["ga-es10-22"],
                    ),
                    (
                        "Assembly resolutions carry political weight but do not bind "
                        "member states.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    },
]


BRIEFS += [
    {
        "slug": "riverton-council-passes-a-leaner-budget",
        "title": "Riverton council passes a leaner budget",
        "summary": "Riverton's city council approved next year's budget by 7 votes "
        "to 3 after a session that ran past midnight. Library hours shrink and two "
        "road projects wait a year; property taxes stay where they are.",
        "published_at": datetime.datetime(2025, 3, 13, 7, 30, tzinfo=datetime.UTC),
        "topics": ["local-government"],
        "sources": [],
        "votes": ["riverton-budget"],
        "sections": [
            (
                "The vote",
                [
                    (
                        "Seven of the eleven members voted for the budget, three "
                        "against, and one abstained.",
                        None,
                        [],
                    ),
                    (
                        "The council needs a majority of the members present and "
                        "voting; all eleven were in the chamber.",
                        None,
                        [],
                    ),
                ],
            ),
            (
                "What changes",
                [
                    (
                        "Branch libraries close on Mondays from July.",
                        None,
                        [],
                    ),
                    (
                        "Repaving on Mill Street and the river bridge moves to the "
                        "following year.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "norland-parliament-rejects-term-limits",
        "title": "Norland's parliament falls short on term limits",
        "summary": "A constitutional amendment to limit prime ministers to two "
        "terms won a majority in Norland's parliament but not the three fifths of "
        "all members that a change to the constitution needs: 70 votes, two short "
        "of 72.",
        "published_at": datetime.datetime(2025, 4, 30, 6, 0, tzinfo=datetime.UTC),
        "topics": ["norland"],
        "sources": [],
        "votes": ["norland-term-limits"],
        "sections": [
            (
                "The count",
                [
                    (
                        "Seventy members voted yes, 45 no and 3 abstained; 2 were "
                        "absent.",
                        None,
                        [],
                    ),
                    (
                        "Three fifths of the chamber's 120 seats is 72, whoever "
                        "turns up, so absences count against a change.",
                        None,
                        [],
                    ),
                ],
            ),
            (
                "What next",
                [
                    (
                        "The government can bring the amendment back after the "
                        "summer recess.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "norland-supreme-court-keeps-minimum-wage-law",
        "title": "Norland's Supreme Court keeps the minimum wage law",
        "summary": "Norland's Supreme Court ruled 6-3 that the national minimum "
        "wage law is within parliament's powers, turning down a challenge brought "
        "by employers' groups.",
        "published_at": datetime.datetime(2025, 6, 3, 8, 0, tzinfo=datetime.UTC),
        "topics": ["courts", "norland"],
        "sources": [],
        "votes": ["norland-wage-ruling"],
        "sections": [
            (
                "The ruling",
                [
                    (
                        "Six justices joined the majority opinion; three dissented.",
                        None,
                        [],
                    ),
                    (
                        "The majority held that setting a wage floor is an ordinary "
                        "use of parliament's power over trade.",
                        None,
                        [],
                    ),
                ],
            ),
            (
                "The dissent",
                [
                    (
                        "The three dissenting justices wrote that the law left too "
                        "little room for regional agreements.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    },
]


def _body(slug):
    if slug in BODIES:
        return Body.objects.get_or_create(slug=slug, defaults=BODIES[slug])[0]
    return Body.objects.get(slug=slug)


def _vote(key):
    spec = dict(VOTES[key])
    positions = spec.pop("positions", {})
    body = _body(spec.pop("body"))
    # A UN vote is known by its symbol; others by their title.
    known_by = (
        {"symbol": spec["symbol"]} if spec.get("symbol") else {"title": spec["title"]}
    )
    vote, created = Vote.objects.get_or_create(body=body, **known_by, defaults=spec)
    if created:
        vote.positions.bulk_create(
            vote.positions.model(
                vote=vote, member_code=code, member_name=name, position=position
            )
            for code, (name, position) in positions.items()
        )
        vote.full_clean()
    return vote


@changes.collected
def load_demo():
    """Create the demo briefs that do not exist yet; return how many were made."""
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TOPICS.items()
    }
    sources = {
        key: Source.objects.get_or_create(
            url=url, defaults={"title": title, "publisher": publisher}
        )[0]
        for key, (url, title, publisher) in SOURCES.items()
    }
    made = 0
    for spec in BRIEFS:
        if Brief.objects.filter(slug=spec["slug"]).exists():
            continue
        sections = [
            {
                "heading": heading,
                "bullets": [
                    {
                        "text": text,
                        "attribution": attribution or Attribution.FACT,
                        "sources": [sources[key] for key in cited],
                    }
                    for text, attribution, cited in bullets
                ],
            }
            for heading, bullets in spec["sections"]
        ]
        brief = brief_create(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            topics=[topics[key] for key in spec["topics"]],
            sources=[sources[key] for key in spec["sources"]],
            votes=[_vote(key) for key in spec["votes"]],
            sections=sections,
        )
        brief_transition(
            brief=brief, action="publish", at=min(spec["published_at"], timezone.now())
        )
        made += 1
    return made

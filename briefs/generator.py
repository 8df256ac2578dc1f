"""Synthetic briefs for load tests and benchmarks (`manage.py generate_briefs`).

The briefs have the shape of real ones (5-8 sections of 2-4 bullets, 0-3 votes,
3-8 sources, 1-3 topics) and are written from word lists in our own words. They
are saved in batches with `bulk_create`, one transaction per batch, so that
100,000 of them take minutes and the memory in use stays flat.
"""

import datetime
import random
import string
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    Attribution,
    Body,
    Brief,
    Bullet,
    Correction,
    Majority,
    Outcome,
    Position,
    Section,
    Source,
    Topic,
    Vote,
    VoteOn,
    VotePosition,
)

# The 193 members of the United Nations, as "CODE Name" separated by semicolons.
UN_MEMBERS_TEXT = """
    AFG Afghanistan; ALB Albania; DZA Algeria; AND Andorra; AGO Angola; ATG Antigua
    and Barbuda; ARG Argentina; ARM Armenia; AUS Australia; AUT Austria; AZE
    Azerbaijan; BHS Bahamas; BHR Bahrain; BGD Bangladesh; BRB Barbados; BLR Belarus;
    BEL Belgium; BLZ Belize; BEN Benin; BTN Bhutan; BOL Bolivia; BIH Bosnia and
    Herzegovina; BWA Botswana; BRA Brazil; BRN Brunei Darussalam; BGR Bulgaria; BFA
    Burkina Faso; BDI Burundi; CPV Cabo Verde; KHM Cambodia; CMR Cameroon; CAN
    Canada; CAF Central African Republic; TCD Chad; CHL Chile; CHN China; COL
    Colombia; COM Comoros; COG Congo; CRI Costa Rica; CIV Côte d'Ivoire; HRV
    Croatia; CUB Cuba; CYP Cyprus; CZE Czechia; PRK DPR Korea; COD DR Congo; DNK
    Denmark; DJI Djibouti; DMA Dominica; DOM Dominican Republic; ECU Ecuador; EGY
    Egypt; SLV El Salvador; GNQ Equatorial Guinea; ERI Eritrea; EST Estonia; SWZ
    Eswatini; ETH Ethiopia; FJI Fiji; FIN Finland; FRA France; GAB Gabon; GMB
    Gambia; GEO Georgia; DEU Germany; GHA Ghana; GRC Greece; GRD Grenada; GTM
    Guatemala; GIN Guinea; GNB Guinea-Bissau; GUY Guyana; HTI Haiti; HND Honduras;
    HUN Hungary; ISL Iceland; IND India; IDN Indonesia; IRN Iran; IRQ Iraq; IRL
    Ireland; ISR Israel; ITA Italy; JAM Jamaica; JPN Japan; JOR Jordan; KAZ
    Kazakhstan; KEN Kenya; KIR Kiribati; KWT Kuwait; KGZ Kyrgyzstan; LAO Laos; LVA
    Latvia; LBN Lebanon; LSO Lesotho; LBR Liberia; LBY Libya; LIE Liechtenstein; LTU
    Lithuania; LUX Luxembourg; MDG Madagascar; MWI Malawi; MYS Malaysia; MDV
    Maldives; MLI Mali; MLT Malta; MHL Marshall Islands; MRT Mauritania; MUS
    Mauritius; MEX Mexico; FSM Micronesia; MCO Monaco; MNG Mongolia; MNE Montenegro;
    MAR Morocco; MOZ Mozambique; MMR Myanmar; NAM Namibia; NRU Nauru; NPL Nepal; NLD
    Netherlands; NZL New Zealand; NIC Nicaragua; NER Niger; NGA Nigeria; MKD North
    Macedonia; NOR Norway; OMN Oman; PAK Pakistan; PLW Palau; PAN Panama; PNG Papua
    New Guinea; PRY Paraguay; PER Peru; PHL Philippines; POL Poland; PRT Portugal;
    QAT Qatar; KOR Republic of Korea; MDA Moldova; ROU Romania; RUS Russian
    Federation; RWA Rwanda; KNA Saint Kitts and Nevis; LCA Saint Lucia; VCT Saint
    Vincent and the Grenadines; WSM Samoa; SMR San Marino; STP Sao Tome and
    Principe; SAU Saudi Arabia; SEN Senegal; SRB Serbia; SYC Seychelles; SLE Sierra
    Leone; SGP Singapore; SVK Slovakia; SVN Slovenia; SLB Solomon Islands; SOM
    Somalia; ZAF South Africa; SSD South Sudan; ESP Spain; LKA Sri Lanka; SDN Sudan;
    SUR Suriname; SWE Sweden; CHE Switzerland; SYR Syria; TJK Tajikistan; THA
    Thailand; TLS Timor-Leste; TGO Togo; TON Tonga; TTO Trinidad and Tobago; TUN
    Tunisia; TUR Türkiye; TKM Turkmenistan; TUV Tuvalu; UGA Uganda; UKR Ukraine; ARE
    United Arab Emirates; GBR United Kingdom; TZA Tanzania; USA United States; URY
    Uruguay; UZB Uzbekistan; VUT Vanuatu; VEN Venezuela; VNM Vietnam; YEM Yemen; ZMB
    Zambia; ZWE Zimbabwe
"""
UN_MEMBERS = [
    tuple(item.split(" ", 1)) for item in " ".join(UN_MEMBERS_TEXT.split()).split("; ")
]

TOPICS = {
    "united-nations": "United Nations",
    "security-council": "Security Council",
    "diplomacy": "Diplomacy",
    "humanitarian-aid": "Humanitarian aid",
    "climate": "Climate",
    "human-rights": "Human rights",
    "peacekeeping": "Peacekeeping",
    "sanctions": "Sanctions",
    "refugees": "Refugees",
    "trade": "Trade",
    "public-health": "Public health",
    "food-security": "Food security",
    "elections": "Elections",
    "ceasefires": "Ceasefires",
    "nuclear-weapons": "Nuclear weapons",
    "oceans": "Oceans",
    "development": "Development",
    "migration": "Migration",
    "cyber-security": "Cyber security",
    "justice": "International justice",
}

ISSUES = [
    "a ceasefire",
    "aid convoys",
    "a maritime corridor",
    "water rights",
    "grain exports",
    "border crossings",
    "the return of displaced families",
    "mine clearance",
    "vaccine deliveries",
    "a monitoring mission",
    "an arms embargo",
    "detained journalists",
    "emissions targets",
    "debt relief",
    "fishing quotas",
    "a nuclear test ban",
    "election observers",
    "the protection of hospitals",
    "cross-border data flows",
    "a special tribunal",
]
PLACES = [
    "the border region",
    "the coastal provinces",
    "the highlands",
    "the river delta",
    "the northern corridor",
    "the capital",
    "the island states",
    "the southern plains",
    "the disputed strait",
    "the mountain districts",
    "the eastern ports",
    "the desert frontier",
]
ACTORS = [
    "the General Assembly",
    "the Security Council",
    "a group of small island states",
    "a regional bloc",
    "the Secretary-General",
    "a coalition of donor countries",
    "the Council presidency",
    "a panel of independent experts",
    "the relief coordinator",
    "the host government",
]
TITLE_VERBS = [
    "backs",
    "rejects",
    "weighs",
    "splits over",
    "delays a decision on",
    "calls for",
    "renews",
    "narrowly approves",
]
MEASURES = ["a call for", "a plan for", "a draft on", "a deal on", "new rules on"]
HEADINGS = [
    "What happened",
    "Why it matters",
    "The vote",
    "How members voted",
    "What was in the text",
    "Who said what",
    "Background",
    "The numbers",
    "Reactions",
    "What comes next",
    "The sticking points",
    "On the ground",
    "The legal questions",
    "Money and logistics",
    "What is still unclear",
]
OPENERS = [
    "Delegates",
    "Negotiators",
    "Envoys from several regions",
    "The sponsors of the text",
    "Smaller states",
    "Officials in the capital",
    "Relief workers",
    "Observers in the chamber",
]
VERBS = [
    "argued that",
    "warned that",
    "pointed out that",
    "insisted that",
    "said in a statement that",
    "told reporters that",
    "conceded that",
]
CLAIMS = [
    "the plan leaves the hardest questions for later",
    "funding for the next six months is still short by a third",
    "the wording on {issue} was softened overnight",
    "talks on {issue} had stalled for weeks before the vote",
    "the mission in {place} cannot work without safe access",
    "three earlier drafts failed for lack of support",
    "the text sets a deadline of ninety days for a first report",
    "{issue} would be reviewed again at the next session",
    "supplies reaching {place} have fallen sharply since spring",
    "the measure carries no binding obligations",
    "a compromise on {issue} came only after a late amendment",
    "monitors will report every month on conditions in {place}",
]
REPORTED = [
    "According to diplomats who followed the talks, {claim}.",
    "Several news agencies reported that {claim}.",
    "Officials speaking on condition of anonymity said {claim}.",
]
ALLEGED = [
    "Opposition groups allege that {claim}.",
    "A leaked memo, whose authenticity is disputed, claims {claim}.",
]
SUMMARY_SENTENCES = [
    "{actor} took up {issue} in {place} after weeks of pressure from aid groups.",
    "The outcome sets the tone for talks on {issue} in the months ahead.",
    "Supporters called it a modest step; critics said it changes little on the "
    "ground in {place}.",
    "Here is what was decided, how members voted and what happens next.",
    "The debate exposed old divisions over {issue} among the major powers.",
]
PUBLISHERS = [
    ("United Nations", "undocs.example.org"),
    ("UN News", "news.un.example.org"),
    ("Wire Service One", "wire-one.example.com"),
    ("The Daily Ledger", "ledger.example.com"),
    ("Global Affairs Review", "gar.example.net"),
    ("Relief Monitor", "reliefmonitor.example.org"),
    ("Public Broadcaster", "broadcaster.example.com"),
]
SOURCE_KINDS = [
    "Meeting record",
    "Press briefing",
    "Draft resolution",
    "Situation report",
    "Statement by the presidency",
    "Analysis",
    "Letter to the President of the Council",
]
CORRECTIONS = [
    "An earlier version gave the wrong number of abstentions.",
    "An earlier version misstated the date of the vote.",
    "This brief was updated with the final text of the resolution.",
    "An earlier version named the wrong sponsor of the draft.",
]

# How content is spread; the shares follow the demo briefs.
SECTIONS_PER_BRIEF = (5, 8)
BULLETS_PER_SECTION = (2, 4)
SOURCES_PER_BRIEF = (3, 8)
TOPICS_PER_BRIEF = (1, 3)
VOTES_PER_BRIEF = (0, 1, 2, 3)
VOTES_PER_BRIEF_WEIGHTS = (35, 35, 20, 10)
SHARE_WITH_POSITIONS = 0.1  # of new votes; a General Assembly one adds 193 rows
SHARE_REUSED_VOTE = 0.15
SHARE_REUSED_SOURCE = 0.3
SHARE_DRAFT = 0.02
SHARE_SCHEDULED = 0.01
SHARE_CORRECTED = 0.03
RECENT_POOL = 500

BriefTopic = Brief.topics.through
BriefSource = Brief.sources.through
BriefVote = Brief.votes.through
BulletSource = Bullet.sources.through


def reserve_ids(model, count):
    """Return `count` primary keys for new `model` rows that nothing else will use."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            # Other writers wait for this transaction, so that none of them
            # takes a number between the two steps below.
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last = cursor.fetchone()[0]
        return range(last - count + 1, last + 1)
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return range(start, start + count)


def insert_rows(model, rows):
    """Insert dicts of column values: COPY on PostgreSQL, else `bulk_create`."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows])
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in rows[0])
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row.values()))


def make_unique(model, field, rows):
    """Add a suffix to each row's `field` that the database already holds."""
    original = {id(row): row[field] for row in rows}
    pending, attempt = rows, 1
    while pending:
        values = [row[field] for row in pending]
        taken = set(
            model.objects.filter(**{f"{field}__in": values}).values_list(
                field, flat=True
            )
        )
        pending = [row for row in pending if row[field] in taken]
        attempt += 1
        for row in pending:
            row[field] = f"{original[id(row)]}-r{attempt}"


@dataclass
class GenerationStats:
    briefs: int = 0
    sections: int = 0
    bullets: int = 0
    votes: int = 0
    positions: int = 0
    sources: int = 0
    corrections: int = 0

    def add(self, other):
        for field in fields(self):
            setattr(
                self, field.name, getattr(self, field.name) + getattr(other, field.name)
            )

    def __str__(self):
        return ", ".join(
            f"{getattr(self, field.name):,} {field.name}" for field in fields(self)
        )


class BriefGenerator:
    """Make `count` synthetic briefs in batches; the same seed makes the same briefs.

    Publication times spread evenly over `span_days` before `end` (now by
    default), in the order the briefs are made; a few are drafts or scheduled.
    Rows are plain dicts with their ids reserved up front, so that PostgreSQL
    can take them through COPY; other databases get `bulk_create`.
    """

    def __init__(self, *, seed=None, batch_size=1000, span_days=3650, end=None):
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.end = end or timezone.now().replace(second=0, microsecond=0)
        self.span = datetime.timedelta(days=span_days)
        self.recent_sources = []
        self.recent_votes = []

    def generate(self, count, *, progress=None, dry_run=False):
        """Save `count` briefs; call `progress(done, count)` after each batch."""
        self.topic_ids = self._topic_ids()
        bodies = Body.objects.prefetch_related("permanent_members")
        bodies = {body.slug: body for body in bodies}
        self.assembly = bodies["un-general-assembly"]
        self.council = bodies["un-security-council"]
        permanent = self.council.permanent_codes()
        self.council_permanent = [m for m in UN_MEMBERS if m[0] in permanent]
        self.council_elected = [m for m in UN_MEMBERS if m[0] not in permanent]
        stats = GenerationStats()
        done = 0
        while done < count:
            size = min(self.batch_size, count - done)
            with transaction.atomic():
                stats.add(self._batch(done, size, count))
                if dry_run:
                    transaction.set_rollback(True)
            if dry_run:
                self.recent_sources, self.recent_votes = [], []
            # With DEBUG on, Django keeps the SQL of the last 9,000 queries, and
            # bulk inserts are huge; a test counting queries keeps them all.
            if settings.DEBUG and not connection.force_debug_cursor:
                reset_queries()
            done += size
            if progress:
                progress(done, count)
        return stats

    def _topic_ids(self):
        Topic.objects.bulk_create(
            [Topic(slug=slug, name=name) for slug, name in TOPICS.items()],
            ignore_conflicts=True,
        )
        return list(
            Topic.objects.filter(slug__in=TOPICS)
            .order_by("slug")
            .values_list("pk", flat=True)
        )

    # One batch --------------------------------------------------------------

    def _batch(self, first, size, count):
        r = self.random
        self.now = timezone.now()
        rows = {
            model: []
            for model in (Source, Brief, Vote, VotePosition, Section, Bullet)
            + (Correction, BriefTopic, BriefSource, BriefVote, BulletSource)
        }
        self.ids = {
            model: iter(reserve_ids(model, n))
            for model, n in (
                (Brief, size),
                (Source, size * SOURCES_PER_BRIEF[1]),
                (Vote, size * max(VOTES_PER_BRIEF)),
                (Section, size * SECTIONS_PER_BRIEF[1]),
                (Bullet, size * SECTIONS_PER_BRIEF[1] * BULLETS_PER_SECTION[1]),
            )
        }
        for index in range(first, first + size):
            issue, place = r.choice(ISSUES), r.choice(PLACES)
            brief = self._brief(index, count, issue, place)
            rows[Brief].append(brief)
            for topic_id in r.sample(self.topic_ids, r.randint(*TOPICS_PER_BRIEF)):
                rows[BriefTopic].append({"brief_id": brief["id"], "topic_id": topic_id})

            cited = []
            for _ in range(r.randint(*SOURCES_PER_BRIEF)):
                if self.recent_sources and r.random() < SHARE_REUSED_SOURCE:
                    source_id = r.choice(self.recent_sources)
                else:
                    source = self._source(brief, issue, place)
                    rows[Source].append(source)
                    source_id = source["id"]
                if source_id not in cited:
                    cited.append(source_id)
            rows[BriefSource].extend(
                {"brief_id": brief["id"], "source_id": s} for s in cited
            )

            for vote_id in self._votes_for(brief, issue, place, rows):
                rows[BriefVote].append({"brief_id": brief["id"], "vote_id": vote_id})

            headings = r.sample(HEADINGS, r.randint(*SECTIONS_PER_BRIEF))
            for number, heading in enumerate(headings, start=1):
                section = {
                    "id": next(self.ids[Section]),
                    "brief_id": brief["id"],
                    "heading": heading,
                    "position": number,
                }
                rows[Section].append(section)
                for position in range(1, r.randint(*BULLETS_PER_SECTION) + 1):
                    bullet, bullet_cites = self._bullet(section, position, cited)
                    rows[Bullet].append(bullet)
                    rows[BulletSource].extend(
                        {"bullet_id": bullet["id"], "source_id": s}
                        for s in bullet_cites
                    )

            published = brief["published_at"] and brief["published_at"] <= self.end
            if published and r.random() < SHARE_CORRECTED:
                rows[Correction].append(self._correction(brief))

        make_unique(Source, "url", rows[Source])
        make_unique(Brief, "slug", rows[Brief])
        for model, model_rows in rows.items():
            insert_rows(model, model_rows)

        new_sources = [row["id"] for row in rows[Source]]
        new_votes = [row["id"] for row in rows[Vote]]
        self.recent_sources = (self.recent_sources + new_sources)[-RECENT_POOL:]
        self.recent_votes = (self.recent_votes + new_votes)[-RECENT_POOL:]
        return GenerationStats(
            briefs=len(rows[Brief]),
            sections=len(rows[Section]),
            bullets=len(rows[Bullet]),
            votes=len(rows[Vote]),
            positions=len(rows[VotePosition]),
            sources=len(rows[Source]),
            corrections=len(rows[Correction]),
        )

    # Content ----------------------------------------------------------------

    def _brief(self, index, count, issue, place):
        r = self.random
        actor = r.choice(ACTORS)
        title = (
            f"{actor[0].upper()}{actor[1:]} {r.choice(TITLE_VERBS)} "
            f"{r.choice(MEASURES)} {issue} in {place}"
        )
        summary = " ".join(
            sentence.format(actor=actor, issue=issue, place=place)
            for sentence in r.sample(SUMMARY_SENTENCES, r.randint(2, 3))
        )
        # Spread evenly over the span in the order made, with some jitter.
        at = self.end - self.span + self.span * ((index + r.random()) / count)
        at = min(at, self.end).replace(microsecond=0)
        status, first, last = Brief.Status.PUBLISHED.value, at, at
        roll = r.random()
        if roll < SHARE_DRAFT:
            status, at, first, last = Brief.Status.DRAFT.value, None, None, None
        elif roll < SHARE_DRAFT + SHARE_SCHEDULED:
            at = first = last = self.end + datetime.timedelta(
                hours=r.randint(1, 24 * 30)
            )
        return {
            "id": next(self.ids[Brief]),
            "title": title,
            "slug": f"{slugify(title)[:200]}-{index + 1}",
            "summary": summary[0].upper() + summary[1:],
            "status": status,
            "published_at": at,
            "first_published_at": first,
            "last_updated_at": last,
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
        }

    def _news_day(self, brief):
        """Return the day of the news: no later than today, even if scheduled."""
        return min(brief["published_at"] or self.end, self.end).date()

    def _source(self, brief, issue, place):
        r = self.random
        publisher, host = r.choice(PUBLISHERS)
        token = "".join(r.choices(string.ascii_lowercase + string.digits, k=10))
        day = self._news_day(brief)
        return {
            "id": next(self.ids[Source]),
            "url": f"https://{host}/{day:%Y/%m}/{token}",
            "title": f"{r.choice(SOURCE_KINDS)}: {issue} in {place}",
            "publisher": publisher,
            "published_on": day - datetime.timedelta(days=r.randint(0, 3)),
            "accessed_on": day,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _bullet(self, section, position, cited):
        r = self.random
        claim = r.choice(CLAIMS).format(issue=r.choice(ISSUES), place=r.choice(PLACES))
        roll = r.random()
        if roll < 0.75:
            attribution = Attribution.FACT
            text = f"{r.choice(OPENERS)} {r.choice(VERBS)} {claim}."
        elif roll < 0.93:
            attribution = Attribution.REPORTED
            text = r.choice(REPORTED).format(claim=claim)
        else:
            attribution = Attribution.ALLEGED
            text = r.choice(ALLEGED).format(claim=claim)
        bullet = {
            "id": next(self.ids[Bullet]),
            "section_id": section["id"],
            "text": text,
            "position": position,
            "attribution": attribution.value,
        }
        # Reported and alleged claims must cite a source to be publishable.
        least = 0 if attribution == Attribution.FACT else 1
        return bullet, r.sample(cited, min(len(cited), r.randint(least, 2)))

    def _correction(self, brief):
        r = self.random
        at = brief["published_at"] + datetime.timedelta(hours=r.randint(2, 72))
        at = min(at, self.end)
        brief["last_updated_at"] = max(brief["last_updated_at"], at)
        if r.random() < 0.3:
            kind, text = Correction.Kind.UPDATE, CORRECTIONS[2]
        else:
            kind = Correction.Kind.CORRECTION
            text = r.choice([CORRECTIONS[0], CORRECTIONS[1], CORRECTIONS[3]])
        return {
            "brief_id": brief["id"],
            "kind": kind.value,
            "text": text,
            "published_at": at,
            "created_at": self.now,
        }

    # Votes ------------------------------------------------------------------

    def _votes_for(self, brief, issue, place, rows):
        """Return the ids of the brief's votes, some new, some shared."""
        r = self.random
        (wanted,) = r.choices(VOTES_PER_BRIEF, VOTES_PER_BRIEF_WEIGHTS)
        vote_ids = []
        for _ in range(wanted):
            if self.recent_votes and r.random() < SHARE_REUSED_VOTE:
                vote_id = r.choice(self.recent_votes)
            else:
                vote_id = self._vote(brief, issue, place, rows)
            if vote_id not in vote_ids:
                vote_ids.append(vote_id)
        return vote_ids

    def _vote(self, brief, issue, place, rows):
        r = self.random
        day = self._news_day(brief) - datetime.timedelta(days=r.randint(0, 2))
        with_positions = r.random() < SHARE_WITH_POSITIONS
        if r.random() < 0.7:
            vote, members = self._assembly_vote(with_positions)
            symbol = f"A/{day.year - 1945}/L.{r.randint(1, 99)}"
        else:
            vote, members = self._council_vote(with_positions)
            symbol = f"S/{day.year}/{r.randint(100, 999)}"
        vote_id = next(self.ids[Vote])
        rows[Vote].append(
            {
                "id": vote_id,
                "body_id": vote.body.pk,
                "title": f"Draft resolution on {issue} in {place}",
                "symbol": symbol,
                "date": day,
                "vote_on": (
                    VoteOn.AMENDMENT if r.random() < 0.1 else VoteOn.TEXT
                ).value,
                "majority": str(vote.majority),
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "not_voting": vote.not_voting,
                "outcome": str(vote.outcome),
                "created_at": self.now,
                "updated_at": self.now,
            }
        )
        rows[VotePosition].extend(
            {
                "vote_id": vote_id,
                "member_code": code,
                "member_name": name,
                "position": str(position),
            }
            for (code, name), position in members
        )
        return vote_id

    def _assembly_vote(self, with_positions):
        r = self.random
        seats = self.assembly.seats
        yes = r.randint(20, 180)
        no = r.randint(0, min(110, seats - yes))
        abstain = r.randint(0, seats - yes - no)
        rest = seats - yes - no - abstain
        vote = Vote(
            body=self.assembly,
            yes=yes,
            no=no,
            abstain=abstain,
            not_voting=rest if r.random() < 0.6 or with_positions else None,
            majority=Majority.TWO_THIRDS if r.random() < 0.2 else Majority.SIMPLE,
        )
        (vote.outcome,) = vote.expected_outcomes(self.assembly)
        members = []
        if with_positions:
            labels = (
                [Position.YES] * yes
                + [Position.NO] * no
                + [Position.ABSTAIN] * abstain
                + [Position.ABSENT] * rest
            )
            r.shuffle(labels)
            members = list(zip(UN_MEMBERS, labels, strict=True))
        return vote, members

    def _council_vote(self, with_positions):
        """Return a Security Council vote, vetoed where a permanent member says no."""
        r = self.random
        seats = self.council.seats
        yes = r.randint(5, seats)
        no = r.randint(0, seats - yes)
        abstain = r.randint(0, seats - yes - no)
        rest = seats - yes - no - abstain
        veto = no > 0 and r.random() < 0.5
        vote = Vote(
            body=self.council,
            yes=yes,
            no=no,
            abstain=abstain,
            not_voting=rest,
            majority=Majority.SIMPLE,
        )
        members = []
        if with_positions:
            elected = r.sample(
                self.council_elected, seats - len(self.council_permanent)
            )
            if veto:
                vetoing = r.choice(self.council_permanent)
                others = [m for m in self.council_permanent + elected if m != vetoing]
                r.shuffle(others)
                naysayers = [vetoing, *others[: no - 1]]
                others = others[no - 1 :]
            else:
                # Only elected members vote no (there are never more than 10 noes).
                r.shuffle(elected)
                naysayers, others = elected[:no], elected[no:] + self.council_permanent
                r.shuffle(others)
            labels = (
                [Position.YES] * yes
                + [Position.ABSTAIN] * abstain
                + [Position.ABSENT] * rest
            )
            members = [(m, Position.NO) for m in naysayers] + list(
                zip(others, labels, strict=True)
            )
            by_position = [
                VotePosition(member_code=m[0], position=p) for m, p in members
            ]
            allowed = vote.expected_outcomes(self.council, by_position)
        else:
            allowed = vote.expected_outcomes(self.council)
        if Outcome.VETOED in allowed and (veto or Outcome.ADOPTED not in allowed):
            vote.outcome = Outcome.VETOED
        elif Outcome.ADOPTED in allowed:
            vote.outcome = Outcome.ADOPTED
        else:
            vote.outcome = Outcome.REJECTED
        return vote, members

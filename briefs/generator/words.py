"""Word lists for synthetic briefs, written for this project."""

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

# What the report counts and in which order it shows it: the coverage definitions and their
# version, the known values of each breakdown, the list lengths and the section colours.

# The coverage definitions these figures follow; bump when any of them changes.
#   - only proposals with status 'visible' count;
#   - totals count articles in force (not repealed); content is the sum of their `chars`;
#   - a section counts in sections_total when it holds an article in force;
#   - an article is touched when at least one counted proposal references it (a paragraph
#     reference touches its article); a section is touched when one of its articles is;
#   - shares are touched / total as IEEE doubles, 0 when the total is 0;
#   - "as of the end of D" means received_at < D + 1 day, 00:00 UTC;
#   - a proposal's decision is its own latest one logged before the end of the day, else its
#     campaign's; without either it is undecided;
#   - a campaign's size counts its counted members; a campaign counts from CAMPAIGN_MIN_SIZE
#     of them; proposals_unique counts each campaign once and each counted proposal in no
#     campaign once (per article over the proposals referencing it), as the statistics API.
DEFINITIONS_VERSION = "usynys-coverage-1"

SUBMITTER_TYPES = ("citizen", "party", "organization", "expert", "state_body")
CHANNELS = ("web", "e-otinish", "egov", "email", "mail", "hearing")
LANGUAGES = ("kk", "ru", "en")
BREAKDOWNS = (  # (name in files, proposals column, known values in display order)
    ("submitter_type", "submitter_type", SUBMITTER_TYPES),
    ("channel", "channel", CHANNELS),
    ("language", "language", LANGUAGES),
    ("region", "submitter_region", ()),
)
TOP_ARTICLES = 10
TOP_REGIONS = 15
TOP_CAMPAIGNS = 10  # the largest campaigns listed in summary.json and on the page
TOP_CAMPAIGN_ARTICLES = 10  # the articles campaigns inflate most, on the page
CAMPAIGN_ARTICLES_SHOWN = 8  # a campaign's articles named on the page, then "+N more"
CAMPAIGN_MIN_SIZE = 2  # as GET /api/v1/stats/campaigns?min_size= by default
# The decisions of a disposition, in the order the page shows them (then "undecided"); their
# names are in the message catalogues (decision.NAME).
DECISIONS = ("accepted", "partly_accepted", "under_review", "rejected", "out_of_scope")
CAMPAIGNS_PER_ARTICLE = 3  # the largest campaigns named per article on "You said, we did"
WORDS_SHOWN = 14  # the opening words of an article shown beside its number

# Section colours (charts and page), cycled when a document has more sections.
SECTION_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
                   "#b07aa1", "#ff9da7", "#9c755f", "#5f6b7a", "#8cd17d", "#d37295")


def section_colour(number):
    return SECTION_COLOURS[(number - 1) % len(SECTION_COLOURS)]

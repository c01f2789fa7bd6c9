-- wrk script for scripts/bench: POSTs varied proposals to /api/v1/proposals and counts the 201s.
--
-- Arguments (after `--`): ARTICLES_FILE POST_SECONDS [DOCUMENT [RATE]]
--   ARTICLES_FILE  one article in force per line: its id, then its paragraph labels joined by
--                  commas (possibly none), separated by a space
--   POST_SECONDS   how long each thread posts, from its first request
--   DOCUMENT       slug sent as "document" (default: none, the server's default document)
--   RATE           proposals per second each wrk thread sends at most, spread evenly over
--                  time (default 0: as fast as the answers come)
--
-- Each thread builds 2,000 varied proposals at start (1-3 articles, about 1 KB of kk/ru/en
-- text, mixed submitter types) and sends them round robin.
--
-- After POST_SECONDS a connection sends the start of a request and never finishes it, so that
-- no proposal is in flight when wrk stops (run wrk a little longer than POST_SECONDS): every
-- proposal the server stores is then one whose 201 was counted here. Latency figures cover the
-- posted proposals only.
--
-- done() prints one machine-readable line:
--   INTAKE created=N other=N window_s=S per_s=R p50_us=N p90_us=N p99_us=N max_us=N
--          errors=N statuses=201:N,...

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } usynys_bench_timespec;
int clock_gettime(int clk_id, usynys_bench_timespec *tp);
]]
local ts = ffi.new("usynys_bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: one clock for all threads
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- Main state: the threads, to sum their counters in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- Thread state.
local articles = {}
local post_seconds = 20
local document = nil
local rate = 0
local next_at = nil
local deadline = nil
created = 0
other = 0
statuses = {}
t_first = 0
t_last = 0

local kk_open = {
  "Құрметті Конституциялық комиссия мүшелері!",
  "Азамат ретінде мына ұсынысты енгізгім келеді.",
  "Осы бапқа қатысты өз пікірімді білдіргім келеді.",
  "Біздің аудан тұрғындарының атынан жазып отырмын.",
}
local kk_body = {
  "Бұл норма азаматтардың құқықтары мен бостандықтарын нақтырақ қорғауы тиіс, сондықтан тұжырымды өзгерту қажет деп санаймын.",
  "Жергілікті өзін-өзі басқару органдарының өкілеттігін кеңейту әр өңірдің дамуына жағдай жасайды.",
  "Мемлекеттік тіл ретінде қазақ тілінің мәртебесін нығайту үшін нақты кепілдіктер қарастырылуы керек.",
  "Шаһар мен ауыл арасындағы әлеуметтік теңсіздікті азайту мәселесі де назардан тыс қалмауы тиіс.",
  "Жастардың білім алуға және еңбек етуге құқығы айқын көрсетілгені дұрыс болар еді.",
  "Қоғамдық бақылау тетіктері ашық әрі түсінікті болуы керек, әйтпесе халықтың сенімі төмендейді.",
  "Гауһар тастай бағалы табиғатымызды қорғау мемлекеттің басты міндеттерінің бірі болуы тиіс.",
}
local ru_open = {
  "Уважаемые члены Конституционной комиссии!",
  "Предлагаю внести изменения в данную статью.",
  "Хочу высказать своё мнение по поводу этой нормы.",
  "Пишу от имени жителей нашего района.",
}
local ru_body = {
  "Эта норма должна более чётко защищать права и свободы граждан, поэтому формулировку следует уточнить.",
  "Расширение полномочий органов местного самоуправления создаст условия для развития каждого региона.",
  "Необходимо закрепить гарантии независимости судей и прозрачный порядок их назначения.",
  "Природные ресурсы принадлежат народу, и доходы от них должны распределяться справедливо.",
  "Механизмы общественного контроля должны быть открытыми и понятными, иначе доверие людей снижается.",
  "Прошу обратить внимание на социальное неравенство между городом и селом.",
  "Право молодёжи на образование и достойный труд должно быть отражено явно и без оговорок.",
}
local en_open = {
  "Dear members of the Constitutional Commission,",
  "I would like to propose a change to this article.",
  "Please consider the following comment on this provision.",
}
local en_body = {
  "This provision should protect the rights and freedoms of citizens more clearly, so the wording needs to be refined.",
  "Broader powers for local self-government would help every region develop on its own terms.",
  "The independence of judges and a transparent procedure for their appointment must be guaranteed.",
  "Natural resources belong to the people and the income from them should be shared fairly.",
  "Public oversight must be open and understandable, otherwise trust in institutions declines.",
  "The right of young people to education and decent work should be stated without reservations.",
}
local regions = {
  "Almaty", "Astana", "Shymkent", "Abai", "Akmola", "Aktobe", "Almaty Region", "Atyrau",
  "East Kazakhstan", "Jambyl", "Jetisu", "Karaganda", "Kostanay", "Kyzylorda", "Mangystau",
  "Pavlodar", "North Kazakhstan", "Turkistan", "Ulytau", "West Kazakhstan",
}
local names = {
  organization = { "Steppe Law Society", "Almaty Civic Initiatives Centre", "Ассоциация молодых юристов" },
  party = { "Party of Steppe Progress", "Жаңа Ұрпақ партиясы" },
  expert = { "Dr. A. Nurlanova", "Д. Ахметов, к.ю.н.", "Ж. Сәрсенбаева" },
  state_body = { "Ministry of Justice", "Akimat of Almaty" },
}
local channels = { "web", "web", "web", "web", "e-otinish", "e-otinish", "egov", "email", "mail", "hearing" }
local kinds = { "comment", "comment", "comment", "amend", "amend", "amend", "add", "repeal" }

-- A Kazakhstan IIN: 11 digits and a check digit (weights 1..11 mod 11, else 3..11,1,2 mod 11);
-- nil when no check digit exists for these 11 digits.
local function iin(first11)
  local d = {}
  for i = 1, 11 do
    d[i] = tonumber(first11:sub(i, i))
  end
  local function weighted(w)
    local sum = 0
    for i = 1, 11 do
      sum = sum + d[i] * w[i]
    end
    return sum % 11
  end
  local check = weighted({ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })
  if check == 10 then
    check = weighted({ 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 })
  end
  if check == 10 then
    return nil
  end
  return first11 .. check
end

-- 20,000 valid IINs of people born on 1 January 1988.
local iins = {}
for k = 0, 40000 do
  local id = iin(string.format("88010%06d", k))
  if id then
    iins[#iins + 1] = id
  end
  if #iins == 20000 then
    break
  end
end

local function pick(t)
  return t[math.random(#t)]
end

local function submitter_type()
  local u = math.random()
  if u < 0.80 then return "citizen" end
  if u < 0.89 then return "organization" end
  if u < 0.94 then return "expert" end
  if u < 0.97 then return "state_body" end
  return "party"
end

-- About 1 KB of text in the given language.
local function text_for(lang)
  local open, body = ru_open, ru_body
  if lang == "kk" then
    open, body = kk_open, kk_body
  elseif lang == "en" then
    open, body = en_open, en_body
  end
  local parts = { pick(open) }
  local size = #parts[1]
  local target = 850 + math.random(0, 300)
  while size < target do
    local s = pick(body)
    parts[#parts + 1] = s
    size = size + #s + 1
  end
  return table.concat(parts, " ")
end

local function article_refs()
  local n = 1
  local u = math.random()
  if u > 0.55 then n = 2 end
  if u > 0.85 then n = 3 end
  local refs, seen = {}, {}
  while #refs < n and #refs < #articles do
    -- Squaring the draw favours the first articles of the file: a mild popularity skew.
    local a = articles[1 + math.floor(math.random() ^ 2 * #articles)]
    if not seen[a.id] then
      seen[a.id] = true
      if #a.labels > 0 and math.random() < 0.15 then
        refs[#refs + 1] = string.format('{"article":"%s","paragraph":"%s"}', a.id, pick(a.labels))
      else
        refs[#refs + 1] = '"' .. a.id .. '"'
      end
    end
  end
  return "[" .. table.concat(refs, ",") .. "]"
end

local function proposal_body()
  local lang = pick({ "kk", "kk", "ru", "ru", "en" })
  local stype = submitter_type()
  local sub = { '"type":"' .. stype .. '"' }
  if stype ~= "citizen" then
    sub[#sub + 1] = '"name":"' .. pick(names[stype]) .. '"'
  end
  if math.random() < 0.9 then
    sub[#sub + 1] = '"region":"' .. pick(regions) .. '"'
  end
  if math.random() < 0.4 then
    -- A small pool makes some submitters repeat.
    sub[#sub + 1] = '"identifier":"' .. pick(iins) .. '"'
  end
  local fields = {
    '"submitter":{' .. table.concat(sub, ",") .. "}",
    '"channel":"' .. pick(channels) .. '"',
    '"language":"' .. lang .. '"',
    '"kind":"' .. pick(kinds) .. '"',
    '"articles":' .. article_refs(),
    '"text":"' .. text_for(lang) .. '"',
  }
  if document then
    fields[#fields + 1] = '"document":"' .. document .. '"'
  end
  return "{" .. table.concat(fields, ",") .. "}"
end

local post_headers = { ["Content-Type"] = "application/json" }
-- An unfinished request: the server keeps waiting for the end of its header.
local stall = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
-- Varied proposals per thread, sent round robin.
local pool_size = 2000
local pool = {}
local next_request = 0

function init(args)
  local file = assert(io.open(assert(args[1], "ARTICLES_FILE missing"), "r"))
  for line in file:lines() do
    local id, labels = line:match("^(%S+)%s*(%S*)$")
    if id then
      local a = { id = id, labels = {} }
      for label in labels:gmatch("[^,]+") do
        a.labels[#a.labels + 1] = label
      end
      articles[#articles + 1] = a
    end
  end
  file:close()
  assert(#articles > 0, "no articles in " .. args[1])
  post_seconds = tonumber(args[2] or "20")
  if args[3] and args[3] ~= "" then document = args[3] end
  rate = tonumber(args[4] or "0") or 0
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  -- The requests are built here, not per request: wrk's share of the two cores goes into
  -- sending them, not into building JSON.
  for i = 1, pool_size do
    pool[i] = wrk.format("POST", "/api/v1/proposals", post_headers, proposal_body())
  end
end

-- With a RATE, each request of the thread gets the next slot of an even schedule; a connection
-- waits for its request's slot.
function delay()
  if rate <= 0 then return 0 end
  local t = now()
  if not next_at or next_at < t - 0.05 then next_at = t end
  next_at = next_at + 1 / rate
  return math.max(0, (next_at - t) * 1000)
end

function request()
  local t = now()
  if not deadline then
    deadline = t + post_seconds
    t_first = t
  end
  if t >= deadline then
    return stall
  end
  next_request = next_request % pool_size + 1
  return pool[next_request]
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
  t_last = now()
end

function done(summary, latency, requests)
  local c, o, first, last = 0, 0, nil, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
    local tf, tl = thread:get("t_first"), thread:get("t_last")
    if tf > 0 and (not first or tf < first) then first = tf end
    if tl > last then last = tl end
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local window = (first and last > first) and (last - first) or 0
  local list = {}
  for status, count in pairs(by_status) do
    list[#list + 1] = status .. ":" .. count
  end
  table.sort(list)
  local e = summary.errors
  io.write(string.format(
    "INTAKE created=%d other=%d window_s=%.3f per_s=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d statuses=%s\n",
    c, o, window, window > 0 and c / window or 0,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, table.concat(list, ",")))
end

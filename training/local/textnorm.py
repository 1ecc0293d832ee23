"""Text normalisation to the Hearken model alphabet: lowercase a-z, apostrophe, single spaces.

Used by prepare.py to turn raw corpus sentences into TTS prompts + transcripts.
normalise(s) returns the normalised string, or None when the sentence must be dropped.
"""
import re
import unicodedata

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ((10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand"))


def cardinal(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + cardinal(n % 100))
    for val, name in SCALES:
        if n >= val:
            return cardinal(n // val) + " " + name + ("" if n % val == 0 else " " + cardinal(n % val))
    raise ValueError(n)


def year(n):
    if 2000 <= n <= 2009:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return cardinal(hi) + " hundred"
    if lo < 10:
        return cardinal(hi) + " oh " + cardinal(lo)
    return cardinal(hi) + " " + cardinal(lo)


_ORD = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
        "nine": "ninth", "twelve": "twelfth"}


def ordinal(n):
    words = cardinal(n).split()
    last = words[-1]
    if last in _ORD:
        last = _ORD[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last = last + "th"
    return " ".join(words[:-1] + [last])


def plural(words):
    w = words.split()
    last = w[-1]
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x")):
        last = last + "es"
    else:
        last = last + "s"
    return " ".join(w[:-1] + [last])


def digits(s):
    return " ".join(ONES[int(c)] for c in s)


def number(s):
    """Integer string (no commas) -> words; years read as years."""
    if len(s) > 1 and s[0] == "0":
        return digits(s)
    if len(s) > 13:
        return digits(s)
    n = int(s)
    if len(s) == 4 and (1100 <= n <= 1999 or 2010 <= n <= 2099):
        return year(n)
    return cardinal(n)


def decimal(s):
    s = s.replace(",", "")
    if "." in s:
        a, b = s.split(".", 1)
        return (cardinal(int(a)) if a else "zero") + " point " + digits(b)
    return cardinal(int(s)) if len(s) <= 13 else digits(s)


CURRENCY = {"$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
            "€": ("euro", "euros", "cent", "cents")}


def _currency(m):
    sym, amount, scale = m.group(1), m.group(2).replace(",", ""), m.group(3)
    one, many, sub1, subn = CURRENCY[sym]
    if scale:
        return " %s %s %s " % (decimal(amount), scale.lower(), many)
    if "." in amount:
        a, b = amount.split(".", 1)
        if len(b) == 2:
            a = int(a or 0)
            c = int(b)
            out = []
            if a:
                out.append("%s %s" % (cardinal(a), one if a == 1 else many))
            if c:
                out.append("%s %s" % (cardinal(c), sub1 if c == 1 else subn))
            return " " + (" ".join(out) or "zero " + many) + " "
        return " %s %s " % (decimal(amount), many)
    if len(amount) > 13:
        return " " + digits(amount) + " " + many + " "
    a = int(amount)
    return " %s %s " % (cardinal(a), one if a == 1 else many)


ABBREV = [(r"\bMr\.", "mister"), (r"\bMrs\.", "missus"), (r"\bDr\.", "doctor"), (r"\bSt\.(?= [A-Z])", "saint"),
          (r"\bMessrs\.", "messieurs"), (r"\bMt\.", "mount"), (r"\bvs\.", "versus"), (r"\bGen\.", "general"),
          (r"\bCapt\.", "captain"), (r"\bCol\.", "colonel"), (r"\bLt\.", "lieutenant"), (r"\bJr\.", "junior"),
          (r"\bSr\.", "senior"), (r"\bRev\.", "reverend"), (r"\bProf\.", "professor"), (r"\bGov\.", "governor")]
ABBREV = [(re.compile(a), b) for a, b in ABBREV]

ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
VOWELS = set("aeiouy")


def wikitext_fix(s):
    s = s.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
    s = re.sub(r" ([,.;:!?)\]'])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = s.replace(" n't", "n't").replace(" 's", "'s")
    return s


def normalise(s, min_words=3):
    if "<unk>" in s:
        return None
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    for pat, rep in ABBREV:
        s = pat.sub(rep, s)
    s = re.sub(r"([$£€])\s?(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion|thousand|trillion)\b)?", _currency, s)
    s = re.sub(r"(\d[\d,]*(?:\.\d+)?)\s?%", lambda m: " " + decimal(m.group(1)) + " percent ", s)
    s = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: " " + ordinal(int(m.group(1))) + " ", s)
    s = re.sub(r"\b(\d{4})'?s\b", lambda m: " " + plural(number(m.group(1))) + " ", s)
    s = re.sub(r"\b(\d+)'?s\b", lambda m: " " + plural(number(m.group(1))) + " ", s)
    s = re.sub(r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b", lambda m: " " + decimal(m.group(0)) + " ", s)
    s = re.sub(r"\b\d*\.\d+\b", lambda m: " " + decimal(m.group(0)) + " ", s)
    s = re.sub(r"\d+", lambda m: " " + number(m.group(0)) + " ", s)
    s = s.replace("&", " and ").replace("%", " percent ")
    s = s.lower()
    # strip accents: café -> cafe
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = re.sub(r"[-\u2010-\u2015_/]", " ", s)
    # apostrophes only inside words
    s = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", s)
    s = re.sub(r"[.,;:!?\"()\[\]{}*<>«»\u201c\u201d\u2026]", " ", s)
    s = " ".join(s.split())
    if not s or re.search(r"[^a-z' ]", s):
        return None
    words = s.split()
    if not min_words <= len(words) <= 30:
        return None
    for w in words:
        bare = w.replace("'", "")
        if len(bare) >= 2 and ROMAN.match(bare):
            return None          # roman numerals: TTS reading unclear
        if len(bare) >= 2 and not (set(bare) & VOWELS):
            return None          # unexpanded abbreviation / unit (cm, km, lb ...)
    return s


SENT_SPLIT = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"']?[A-Z])")


def split_sentences(line):
    return [p.strip() for p in SENT_SPLIT.split(line) if p.strip()]


if __name__ == "__main__":
    tests = ["In 1869 he paid $5 for 3 books.", "The 1st and 2nd of 21st men, 3.14 & 50%.",
             "It cost $1,250.50 in the 1990s.", "Homarus gammarus is a species of <unk> lobster.",
             "It may grow to a length of 60 cm ( 24 in ) and a mass of 6 kilograms .",
             "the 19 @-@ year @-@ old won 2 @,@ 000 votes in 2004 .", "Mr. Smith met Dr. Who at St. Paul's.",
             "Louis XIV was king.", "\"Upon my word, friend,\" said I, \"you have almost made me long.\""]
    for t in tests:
        print(repr(t), "->", repr(normalise(wikitext_fix(t))))

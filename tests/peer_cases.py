"""Normalization and stemming cases read from other projects' own test suites.

Each case is read as "a query written one way must find the text written the other": a
peer's test that maps «كتابها» to «كتاب» becomes: the query «کتاب» finds the text «كتابها».
Cases are short words and phrases taken from the tests named beside them (never their code):

- ``lucene-fa``: Lucene's TestPersianNormalizationFilter, TestPersianStemFilter,
  TestPersianAnalyzer (verbs, nouns, digits) and TestPersianCharFilter.
- ``lucene-ar``: Lucene's TestArabicNormalizationFilter and TestArabicAnalyzer (the letter
  folding that Persian text written with Arabic letters needs). The Arabic light stemmer's
  cases (ال، و، ب، ک، ف، لل prefixes; ون، ين، ية endings) are Arabic morphology: one is kept
  below as our deliberate choice, the rest are not Persian cases.
- ``elasticsearch``: the persian analyzer's REST tests (analysis-common 20_analyzers.yml).
- ``charabia``: the Persian and Arabic normalizers' tests.
- ``hazm``: tests/test_normalizer.py, test_stemmer.py, test_lemmatizer.py and the
  conjugation tests (a lemma's forms find each other).
- ``persian-tools``: halfSpace, zwnj, toPersianChars and digits specs.
- ``parsivar``: the examples of its README (its documentation is its test).

``APART`` holds pairs the peers keep apart, and so do we. ``KEPT`` holds the peers' cases we
deliberately disagree with, each with its reason.
"""

from __future__ import annotations

# (source, query, text): the query finds the text.
FINDS: list[tuple[str, str, str]] = [
    # --- Lucene, Persian normalization: one test per character
    ("lucene-fa", "هاي", "های"),  # FARSI YEH
    ("lucene-fa", "هاي", "هاے"),  # YEH BARREE
    ("lucene-fa", "كشاندن", "کشاندن"),  # KEHEH
    ("lucene-fa", "كتابه", "كتابۀ"),  # HEH WITH YEH ABOVE
    ("lucene-fa", "كتابه", "كتابهٔ"),  # HEH + HAMZA ABOVE
    ("lucene-fa", "زاده", "زادہ"),  # HEH GOAL
    # --- Lucene, Persian stemming
    ("lucene-fa", "کتاب", "کتابها"),
    ("lucene-fa", "جامد", "جامدات"),
    ("lucene-fa", "عليرضا", "عليرضايي"),
    ("lucene-fa", "باحال", "باحالتر"),
    ("lucene-fa", "خوب", "خوبترين"),
    ("lucene-fa", "کباب", "کباب"),
    ("lucene-fa", "English", "English"),
    # --- Lucene, the Persian analyzer's verbs (ZWNJ spellings) ...
    ("lucene-fa", "خورد", "می\u200cخورد"),
    ("lucene-fa", "خورد", "خورد"),
    ("lucene-fa", "خورد", "خواهد خورد"),
    ("lucene-fa", "خورد", "دارد می\u200cخورد"),
    ("lucene-fa", "خورد", "داشت می\u200cخورد"),
    ("lucene-fa", "خورده", "خورده\u200cاست"),
    ("lucene-fa", "خورده", "می\u200cخورده\u200cاست"),
    ("lucene-fa", "خورده", "خورده بود"),
    ("lucene-fa", "خورده", "می\u200cخورده بود"),
    ("lucene-fa", "خورده", "خورده باشد"),
    ("lucene-fa", "خورده", "می\u200cخورده باشد"),
    ("lucene-fa", "خورده", "خورده بوده باشد"),
    ("lucene-fa", "خورده", "می\u200cخورده بوده باشد"),
    ("lucene-fa", "خورده", "خورده می\u200cشود"),
    ("lucene-fa", "خورده", "خورده شد"),
    ("lucene-fa", "خورده", "خورده می\u200cشد"),
    ("lucene-fa", "خورده", "خورده شده\u200cاست"),
    ("lucene-fa", "خورده", "خورده می\u200cشده\u200cاست"),
    ("lucene-fa", "خورده", "خورده شده بود"),
    ("lucene-fa", "خورده", "خورده می\u200cشده بود"),
    ("lucene-fa", "خورده", "خورده خواهد شد"),
    ("lucene-fa", "خورده", "دارد خورده می\u200cشود"),
    ("lucene-fa", "خورده", "داشت خورده می\u200cشد"),
    ("lucene-fa", "خورده", "خورده شود"),
    ("lucene-fa", "خورده", "خورده شده باشد"),
    ("lucene-fa", "خورده", "خورده می\u200cشده باشد"),
    ("lucene-fa", "خورده", "خورده شده بوده باشد"),
    ("lucene-fa", "خورده", "خورده می\u200cشده بوده باشد"),
    ("lucene-fa", "بخورد", "بخورد"),
    # ... and the same verbs in legacy text: Arabic yeh and a space for the ZWNJ
    ("lucene-fa", "خورد", "مي خورد"),
    ("lucene-fa", "خورد", "دارد مي خورد"),
    ("lucene-fa", "خورد", "داشت مي خورد"),
    ("lucene-fa", "خورده", "خورده است"),
    ("lucene-fa", "خورده", "مي خورده است"),
    ("lucene-fa", "خورده", "مي خورده بود"),
    ("lucene-fa", "خورده", "مي خورده باشد"),
    ("lucene-fa", "خورده", "مي خورده بوده باشد"),
    ("lucene-fa", "خورده", "خورده مي شود"),
    ("lucene-fa", "خورده", "خورده مي شد"),
    ("lucene-fa", "خورده", "خورده شده است"),
    ("lucene-fa", "خورده", "خورده مي شده است"),
    ("lucene-fa", "خورده", "خورده مي شده بود"),
    ("lucene-fa", "خورده", "دارد خورده مي شود"),
    ("lucene-fa", "خورده", "داشت خورده مي شد"),
    ("lucene-fa", "خورده", "خورده مي شده باشد"),
    ("lucene-fa", "خورده", "خورده مي شده بوده باشد"),
    # nouns, non-Persian text, digits, the ZWNJ char filter
    ("lucene-fa", "برگ", "برگ ها"),
    ("lucene-fa", "برگ", "برگها"),
    ("lucene-fa", "english test", "English test."),
    ("lucene-fa", "1234", "۱۲۳۴"),
    ("lucene-fa", "test", "this is a\u200ctest"),
    # --- Lucene, Arabic normalization (letters Persian text is often typed with)
    ("lucene-ar", "احمد", "أحمد"),  # ALEF WITH HAMZA ABOVE
    ("lucene-ar", "اعاذ", "إعاذ"),  # ALEF WITH HAMZA BELOW
    ("lucene-ar", "بني", "بنى"),  # ALEF MAKSURA
    ("lucene-ar", "فاطمه", "فاطمة"),  # TEH MARBUTA
    ("lucene-ar", "روبرت", "روبرـــــت"),  # TATWEEL
    ("lucene-ar", "مبنا", "مَبنا"),  # FATHA
    ("lucene-ar", "علي", "علِي"),  # KASRA
    ("lucene-ar", "بوات", "بُوات"),  # DAMMA
    ("lucene-ar", "ولدا", "ولداً"),  # FATHATAN
    ("lucene-ar", "ولد", "ولدٍ"),  # KASRATAN
    ("lucene-ar", "ولد", "ولدٌ"),  # DAMMATAN
    ("lucene-ar", "نلسون", "نلْسون"),  # SUKUN
    ("lucene-ar", "هتمي", "هتميّ"),  # SHADDA
    ("lucene-ar", "1234", "١٢٣٤"),  # ARABIC-INDIC digits
    ("lucene-ar", "english text", "English text."),
    ("lucene-ar", "مشروب", "مشروبات"),  # plural -at
    # --- Elasticsearch, the persian analyzer
    ("elasticsearch", "خورد", "می\u200cخورد"),
    ("elasticsearch", "كتاب", "كتابها"),
    # --- charabia, the Persian and Arabic normalizers
    ("charabia", "علی", "علي"),
    ("charabia", "کتاب", "كتاب"),
    ("charabia", "1234567890", "۱۲۳۴۵۶۷۸۹۰"),
    ("charabia", "کیک 123 یک کتاب", "كیك ۱۲۳ یک کتاب"),
    ("charabia", "عمیقترین", "عمیق\u200cترین"),
    ("charabia", "قدیمیترین", "قدیمی\u200cترین"),
    ("charabia", "گژ پژ", "گژ پژ"),
    ("charabia", "الحمد", "الحمــــــد"),  # tatweel
    ("charabia", "رحيم", "رحــــــيم"),
    ("charabia", "الحمد", "ٱلحمد"),  # ALEF WASLA
    ("charabia", "يومي", "يومى"),  # ALEF MAKSURA
    ("charabia", "النهارده", "النهاردة"),  # TEH MARBUTA
    # --- hazm, the normalizer
    ("hazm", "اعلام کرد", "اِعلاممممم کَرد"),
    ("hazm", "زمین\u200cلرزه\u200cای", "زمین لرزه ای"),
    ("hazm", "بزرگی", "بُزرگیِ"),
    ("hazm", "۶ دهم ریشتر", "6 دهم ریشتر"),
    ("hazm", "سلام دنیا", "سلام    دنیا"),
    ("hazm", "مسافت ۹ کیلومتر", "مسافت ۹کیلومتر"),
    ("hazm", "مسافت ۹ کیلومتر", "مسافت۹ کیلومتر"),
    ("hazm", "به طول ۹ متر و عرض ۶", "به طول ۹متر و عرض۶"),
    ("hazm", "کاروان\u200cسرا", "کاروان\u200c\u200cسرا"),  # a run of two ZWNJs
    ("hazm", "سلام دنیا", "سلام \u200c\u200cدنیا"),
    ("hazm", "سلام دنیا", "سلام\u200c\u200c دنیا"),
    ("hazm", "کاروان\u200cسرا", "\u200c\u200cکاروان\u200cسرا"),
    ("hazm", "کاروان\u200cسرا", "کاروان\u200cسرا\u200c\u200c"),
    ("hazm", "سلام به همه", "\u200cسلام\u200c به \u200cهمه\u200c"),
    ("hazm", "سلام", "ســلام"),
    ("hazm", "سلام دنیا", "سلام دنیـــا"),
    ("hazm", "جمعه\u200cها", "جمعهها"),
    ("hazm", "لحظه\u200cهایی سخت", "لحظه هایی سخت"),
    ("hazm", "نمی\u200cکنم", "نمی کنم"),
    ("hazm", "می\u200cکنم", "می کنم"),
    ("hazm", "حذف اعراب", "حَذفِ اِعراب"),
    ("hazm", "آمدند", "آمدند"),
    ("hazm", "پیامبر اکرم", "پیامبر اکرم ﷺ"),
    ("hazm", "سلام دوستان", "سلاممم دوستان"),  # a letter repeated three times
    ("hazm", "سلام به همه", "سلامممم به همه"),
    ("hazm", "سلامم را برسان", "سلامم را برسان"),  # two repeats may be spelling: kept
    ("hazm", "نقل\u200cقول", '"نقل\u200cقول"'),
    ("hazm", "نرمال\u200cسازی", '"نرمال\u200cسازی"'),
    ("hazm", "10٫450", "10.450"),
    ("hazm", "ساعت ۱۸", "ساعت 18"),
    ("hazm", "۵ درصد", "5 درصد"),
    ("hazm", "بسم الله الرحمن الرحیم", "﷽"),
    ("hazm", "نمی\u200cدانم چه می\u200cگفت", "نمیدانم چه میگفت"),
    ("hazm", "میز", "میز"),
    ("hazm", "میانه", "میانه"),
    ("hazm", "ماهان", "ماهان"),
    ("hazm", "کتاب\u200cها", "کتاب ها"),
    ("hazm", "کتاب\u200cهای", "کتاب های"),
    ("hazm", "کتاب\u200cهایی", "کتاب هایی"),
    ("hazm", "او می\u200cرود", "او می رود"),
    ("hazm", "می", "ماه می سال جدید"),  # the month May: «می» stays a word
    ("hazm", "ماه می", "ماه می سال جدید"),
    ("hazm", "اخلال\u200cگر", "اخلال گر"),
    ("hazm", "اخلال گر", "اخلال\u200cگر"),
    ("hazm", "زمین\u200cلرزه\u200cای", "زمین لرزه ای"),
    # --- hazm, the stemmer and the lemmatizer
    ("hazm", "کتاب", "کتابی"),
    ("hazm", "کتاب", "کتاب\u200cها"),
    ("hazm", "کتاب", "کتاب\u200cهایی"),
    ("hazm", "کتاب", "کتابهایشان"),
    ("hazm", "اندیشه", "اندیشه\u200cاش"),
    ("hazm", "خانه", "خانهٔ"),
    ("hazm", "قدم", "قدمش"),
    ("hazm", "آتشفشان", "آتشفشان"),
    ("hazm", "رفت", "می\u200cروم"),
    ("hazm", "گفت", "گفته شده است"),
    ("hazm", "چشید", "نچشیده است"),
    ("hazm", "مردم", "مردم"),
    ("hazm", "اجتماعی", "اجتماعی"),
    # --- hazm, conjugations: the forms of a verb find each other
    ("hazm", "دیدم", "دیدند"),
    ("hazm", "دیدی", "ندیدیم"),
    ("hazm", "دیدید", "می\u200cدیدم"),
    ("hazm", "دیدیم", "نمی\u200cدیدند"),
    ("hazm", "دیده", "دیده شدند"),
    ("hazm", "دیده", "دیده\u200cاند"),
    ("hazm", "دیده", "ندیده\u200cایم"),
    ("hazm", "دیده", "دیده باشند"),
    ("hazm", "دیده", "دیده نمی\u200cشده بوده باشد"),
    ("hazm", "ببینم", "می\u200cبینم"),
    ("hazm", "ببینیم", "نبینید"),
    ("hazm", "بینند", "می\u200cبینند"),
    ("hazm", "دیده", "دیده خواهد شد"),
    # --- persian-tools, halfSpace and zwnj: ZWNJ, space and nothing are one, both ways
    ("persian-tools", "می\u200cرود", "می رود"),
    ("persian-tools", "می رود", "می\u200cرود"),
    ("persian-tools", "نمی\u200cدانم", "نمی دانم"),
    ("persian-tools", "بی\u200cدلیل", "بی دلیل"),
    ("persian-tools", "بی دلیل", "بی\u200cدلیل"),
    ("persian-tools", "هم\u200cزمان", "هم زمان"),
    ("persian-tools", "هم زمان", "هم\u200cزمان"),
    ("persian-tools", "هم زمان", "همزمان"),
    ("persian-tools", "همزمان", "هم زمان"),
    ("persian-tools", "خانه\u200cها", "خانه ها"),
    ("persian-tools", "بزرگتر", "بزرگ تر"),
    ("persian-tools", "بزرگترین", "بزرگ ترین"),
    ("persian-tools", "به\u200cهر حال", "به هر حال"),
    ("persian-tools", "به هر حال", "به\u200cهر حال"),
    ("persian-tools", "به\u200cوجود آمد", "به وجود آمد"),
    ("persian-tools", "به وجود آمد", "به\u200cوجود آمد"),
    ("persian-tools", "هم\u200cچنین گفت", "هم چنین گفت"),
    ("persian-tools", "همچنین گفت", "هم چنین گفت"),
    ("persian-tools", "این\u200cجا است", "این جا است"),
    ("persian-tools", "اینجا", "این جا است"),
    ("persian-tools", "آن\u200cکه می\u200cرود", "آن که می رود"),
    ("persian-tools", "چند\u200cسال بعد", "چند سال بعد"),
    ("persian-tools", "چند سال بعد", "چند\u200cسال بعد"),
    ("persian-tools", "خانه\u200cها، آپارتمان\u200cها", "خانه ها، آپارتمان ها"),
    ("persian-tools", "آبیتر", "(آبی تر)"),
    ("persian-tools", "درخت\u200cها", "درخت ها"),
    ("persian-tools", "می\u200cرود", "می   رود"),
    ("persian-tools", "هادی", "هادی"),
    ("persian-tools", "خانه test", "خانه test"),
    ("persian-tools", "میباشد", "می باشد"),
    ("persian-tools", "نمیخواهمت", "نمی خواهمت"),
    ("persian-tools", "درختهای چنار", "درخت های چنار"),
    ("persian-tools", "علی", "علي"),
    ("persian-tools", "0123456789", "٠١٢٣٤٥٦٧٨٩"),
    ("persian-tools", "0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    ("persian-tools", "8912345", "٨٩123٤٥"),
    ("persian-tools", "8912345", "۸۹123۴۵"),
    # --- Parsivar, its README
    ("parsivar", "11 شهریور 1396", "۱۱ شهریور ۱۳۹۶"),
    ("parsivar", "ادامه مییابد", "ادامه می یابد"),
    ("parsivar", "شیمی آلی", "سمینار شیمی آلی"),
]

# (source, query, text): the peers keep these apart, and so do we.
APART: list[tuple[str, str, str]] = [
    ("hazm", "سلام", "سلامم را برسان"),  # two repeats are kept: «سلامم» is not folded
    ("hazm", "زمین", "زمان"),
    ("persian-tools", "ها", "هادی"),  # «ها» inside a word is no suffix
    ("persian-tools", "می", "میز"),  # nor «می» inside one
    ("lucene-fa", "کب", "کباب"),
    ("lucene-fa", "English", "test"),
]

# (source, query, text, why): the peers make these one; we keep them apart on purpose.
KEPT: list[tuple[str, str, str, str]] = [
    ("lucene-fa", "شادمان", "شادمانی", "«شادمانی» (happiness) is a word of its own, not «شادمان» (happy) + ی"),
    ("lucene-fa", "دوست", "دوستان", "hazm lists «دوستان» as a lexeme, as it does «زندان», «کرمان», «بحران»"),
    ("lucene-ar", "اجن", "آجن", "we keep آ: استان/آستان, اسم/آسم are different words"),
    ("lucene-ar", "حسن", "الحسن", "we keep «ال» in Persian words such as «البرز», «الله»"),
    ("hazm", "پیامبر اکرم ﷺ", "پیامبر اکرم", "we expand «ﷺ» to its words instead of deleting it"),
    (
        "parsivar",
        "یافت",
        "بیابیم",
        "we keep hazm's lemmas: «بیابیم» is یابیدن there, and verbs are not merged by present stem (رفتن, رستن: رو)",
    ),
]

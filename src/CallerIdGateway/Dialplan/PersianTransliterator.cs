using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CallerIdGateway.Dialplan;

/// <summary>
/// Persian → readable ASCII ("Finglish") for desk phones that cannot show Persian script:
/// <c>خلیلی</c> → <c>Khalili</c>, <c>شرکت بازرگانی نوین</c> → <c>Sherkat Bazargani Novin</c>.
/// </summary>
/// <remarks>
/// Persian script does not write short vowels, so no letter-by-letter table can get names right
/// (a table-based transliterator such as AnyAscii gives a consonant skeleton). This one is honest
/// about that: a dictionary of common given names, surnames and business words carries most real
/// names (with common suffixes such as <c>-ی</c>, <c>-زاده</c>, <c>-پور</c> and two-part names such as
/// <c>علیرضا</c>); anything else goes through letter rules that guess the vowel Persian syllables need
/// (no word starts with two consonants) and read written diacritics when a name has them. The aim is
/// a name an agent recognises, not a standard romanization.
/// </remarks>
public static class PersianTransliterator
{
    /// <summary>Transliterates Persian (and Arabic-script) words; Latin text passes through with diacritics removed. Always ASCII.</summary>
    public static string ToLatin(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var output = new StringBuilder(text.Length + 8);
        var word = new StringBuilder();
        foreach (var raw in text.Normalize(NormalizationForm.FormC))
        {
            var c = Canonical(raw);
            if (c == '\0')
            {
                continue; // tatweel: a stretch, not a letter
            }
            if (IsWordChar(c))
            {
                word.Append(c);
                continue;
            }
            FlushWord(word, output);
            AppendOther(c, output);
        }
        FlushWord(word, output);
        return CollapseSpaces(output);
    }

    private static void FlushWord(StringBuilder word, StringBuilder output)
    {
        if (word.Length == 0)
        {
            return;
        }
        // A zero-width non-joiner splits a word into parts written apart (شرکت‌ها): each part on its own, written together.
        var parts = word.ToString().Split(Zwnj, StringSplitOptions.RemoveEmptyEntries);
        var latin = string.Concat(parts.Select(TransliterateWord));
        output.Append(Capitalized(latin));
        word.Clear();
    }

    private static string TransliterateWord(string word)
    {
        var bare = StripDiacritics(word);
        if (bare.Length == 0)
        {
            return "";
        }
        if (Words.TryGetValue(bare, out var known))
        {
            return known;
        }
        foreach (var (suffix, latin) in Suffixes)
        {
            if (bare.Length > suffix.Length + 1 && bare.EndsWith(suffix, StringComparison.Ordinal)
                && Words.TryGetValue(bare[..^suffix.Length], out var stem))
            {
                return stem + latin;
            }
        }
        for (var split = 2; split <= bare.Length - 2; split++)
        {
            if (Words.TryGetValue(bare[..split], out var first) && Words.TryGetValue(bare[split..], out var second))
            {
                return first + second;
            }
        }
        return ByRules(word);
    }

    // ---------------------------------------------------------------- letter rules

    private readonly record struct Sound(string Latin, bool IsVowel);

    private static string ByRules(string word)
    {
        var sounds = new List<Sound>(word.Length + 4);
        var letters = word.ToCharArray();
        for (var i = 0; i < letters.Length; i++)
        {
            var c = letters[i];
            var next = NextLetter(letters, i);
            var atStart = sounds.Count == 0;
            var afterVowel = sounds.Count > 0 && sounds[^1].IsVowel;
            var atEnd = next == '\0';
            switch (c)
            {
                case 'آ':
                    sounds.Add(new("a", true));
                    break;
                case 'ا' when atStart && next == 'ی':
                    sounds.Add(new("i", true));
                    i = IndexOfNextLetter(letters, i);
                    break;
                case 'ا' when atStart && next == 'و':
                    sounds.Add(new("o", true));
                    i = IndexOfNextLetter(letters, i);
                    break;
                case 'ا':
                    sounds.Add(new("a", true));
                    break;
                case 'و' when i > 0 && PreviousLetter(letters, i) == 'خ' && next == 'ا':
                    break; // the silent vav of خوا (khahar, Khajeh)
                case 'و' when atStart || afterVowel || IsVowelLetter(next):
                    sounds.Add(new("v", false));
                    break;
                case 'و':
                    sounds.Add(new(atEnd ? "o" : "ou", true));
                    break;
                case 'ی' when atStart || afterVowel:
                    sounds.Add(new("y", false));
                    break;
                case 'ی':
                    sounds.Add(new("i", true));
                    break;
                case 'ه' when atEnd && !atStart && !afterVowel:
                    sounds.Add(new("eh", true));
                    break;
                case Fatha:
                    sounds.Add(new("a", true));
                    break;
                case Kasra:
                    sounds.Add(new("e", true));
                    break;
                case Damma:
                    sounds.Add(new("o", true));
                    break;
                case Fathatan:
                    sounds.Add(new("an", true));
                    break;
                case SuperscriptAlef:
                    sounds.Add(new("a", true));
                    break;
                case Shadda when sounds.Count > 0 && !sounds[^1].IsVowel:
                    sounds.Add(sounds[^1]);
                    break;
                default:
                    if (Consonants.TryGetValue(c, out var consonant))
                    {
                        sounds.Add(new(consonant, false));
                    }
                    break; // sukun and unknown marks: nothing to say
            }
        }

        // Written diacritics say where the vowels are; guess only when there are none.
        if (!word.Any(IsVowelMark))
        {
            InsertVowels(sounds);
        }
        return string.Concat(sounds.Select(s => s.Latin));
    }

    /// <summary>
    /// Persian syllables start with one consonant and end with at most two: a word cannot start with
    /// two consonants, and three in a row need a vowel. Short vowels are unwritten, so guess "a" there.
    /// </summary>
    private static void InsertVowels(List<Sound> sounds)
    {
        var i = 0;
        while (i < sounds.Count)
        {
            if (sounds[i].IsVowel)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < sounds.Count && !sounds[i].IsVowel)
            {
                i++;
            }
            var length = i - start;
            var atWordStart = start == 0;
            var atWordEnd = i == sounds.Count;
            if (atWordStart && length >= 2)
            {
                sounds.Insert(start + 1, Guessed);
                i = start + 2; // look at the rest of the run again, now after a vowel
                continue;
            }
            if (length >= 3)
            {
                // Inside a word the vowel usually follows the first consonant (bazargani); at the end it
                // usually comes before the last (sherkat).
                sounds.Insert(atWordEnd ? i - 1 : start + 1, Guessed);
                i = start + 1;
            }
        }
    }

    private static readonly Sound Guessed = new("a", true);

    private static char NextLetter(char[] letters, int i)
    {
        var j = IndexOfNextLetter(letters, i);
        return j < letters.Length ? letters[j] : '\0';
    }

    private static int IndexOfNextLetter(char[] letters, int i)
    {
        var j = i + 1;
        while (j < letters.Length && IsMark(letters[j]))
        {
            j++;
        }
        return j;
    }

    private static char PreviousLetter(char[] letters, int i)
    {
        var j = i - 1;
        while (j >= 0 && IsMark(letters[j]))
        {
            j--;
        }
        return j >= 0 ? letters[j] : '\0';
    }

    private static bool IsVowelLetter(char c) => c is 'ا' or 'آ' or 'ی' or 'و';

    // ---------------------------------------------------------------- characters

    private const char Zwnj = '\u200C';
    private const char Fathatan = '\u064B';
    private const char Fatha = '\u064E';
    private const char Damma = '\u064F';
    private const char Kasra = '\u0650';
    private const char Shadda = '\u0651';
    private const char SuperscriptAlef = '\u0670';

    private static bool IsMark(char c) => c is >= '\u064B' and <= '\u0652' or SuperscriptAlef;

    private static bool IsVowelMark(char c) => c is Fatha or Kasra or Damma or Fathatan or SuperscriptAlef;

    private static bool IsWordChar(char c) => c is >= '\u0621' and <= '\u064A' || c == 'پ' || c == 'چ' || c == 'ژ' || c == 'گ' || c == 'ک' || c == 'ی'
        || c == 'آ' || IsMark(c) || c == Zwnj;

    /// <summary>Arabic letter forms and keyboard variants → the Persian letter they stand for.</summary>
    private static char Canonical(char c) => c switch
    {
        'ي' or 'ى' or 'ئ' or 'ې' => 'ی',
        'ك' => 'ک',
        'ة' or 'ۀ' or 'ە' => 'ه',
        'أ' or 'إ' or 'ٱ' => 'ا',
        'ؤ' => 'و',
        'ـ' => '\0',
        _ => c,
    };

    private static string StripDiacritics(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (!IsMark(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static void AppendOther(char c, StringBuilder output)
    {
        switch (c)
        {
            case Zwnj:
                return;
            case >= '۰' and <= '۹':
                output.Append((char)('0' + (c - '۰')));
                return;
            case >= '٠' and <= '٩':
                output.Append((char)('0' + (c - '٠')));
                return;
            case '،' or '٬':
                output.Append(',');
                return;
            case '؛':
                output.Append(';');
                return;
            case '؟':
                output.Append('?');
                return;
            case '٫':
                output.Append('.');
                return;
            case '«' or '»' or '“' or '”' or '‘' or '’':
                output.Append('\'');
                return;
            case '–' or '—' or '‐' or '−':
                output.Append('-');
                return;
        }
        if (char.IsWhiteSpace(c) || char.IsControl(c))
        {
            output.Append(' ');
        }
        else if (c < 128)
        {
            output.Append(c);
        }
        else if (!char.IsSurrogate(c))
        {
            // Latin with accents (José) → its base letters; anything else has no ASCII form and is dropped.
            foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
            {
                if (d < 128 && CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                {
                    output.Append(d);
                }
            }
        }
    }

    private static string Capitalized(string latin) =>
        latin.Length == 0 ? latin : char.ToUpperInvariant(latin[0]) + latin[1..];

    private static string CollapseSpaces(StringBuilder text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text.ToString())
        {
            if (c == ' ' && (result.Length == 0 || result[^1] == ' '))
            {
                continue;
            }
            result.Append(c);
        }
        return result.ToString().TrimEnd();
    }

    private static readonly FrozenDictionary<char, string> Consonants = new Dictionary<char, string>
    {
        ['ب'] = "b", ['پ'] = "p", ['ت'] = "t", ['ث'] = "s", ['ج'] = "j", ['چ'] = "ch", ['ح'] = "h", ['خ'] = "kh",
        ['د'] = "d", ['ذ'] = "z", ['ر'] = "r", ['ز'] = "z", ['ژ'] = "zh", ['س'] = "s", ['ش'] = "sh", ['ص'] = "s",
        ['ض'] = "z", ['ط'] = "t", ['ظ'] = "z", ['ع'] = "", ['غ'] = "gh", ['ف'] = "f", ['ق'] = "gh", ['ک'] = "k",
        ['گ'] = "g", ['ل'] = "l", ['م'] = "m", ['ن'] = "n", ['ه'] = "h", ['ء'] = "",
    }.ToFrozenDictionary();

    /// <summary>Endings added to a known word: <c>محمد</c> + <c>ی</c> → Mohammadi, <c>رضا</c> + <c>یی</c> → Rezaei.</summary>
    private static readonly (string Suffix, string Latin)[] Suffixes =
    [
        ("زاده", "zadeh"), ("نژاد", "nejad"), ("پور", "pour"), ("نیا", "nia"), ("فر", "far"), ("یان", "ian"),
        ("ها", "ha"), ("یی", "ei"), ("ی", "i"),
    ];

    /// <summary>Common given names, surnames and words of business names, in the spelling Iranians use in Latin script.</summary>
    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>
    {
        // given names and name stems
        ["محمد"] = "mohammad", ["علی"] = "ali", ["حسن"] = "hassan", ["حسین"] = "hossein", ["رضا"] = "reza", ["احمد"] = "ahmad",
        ["محمود"] = "mahmoud", ["مهدی"] = "mehdi", ["مصطفی"] = "mostafa", ["مرتضی"] = "morteza", ["مجتبی"] = "mojtaba",
        ["عباس"] = "abbas", ["جواد"] = "javad", ["حمید"] = "hamid", ["سعید"] = "saeed", ["مسعود"] = "masoud", ["امیر"] = "amir",
        ["کریم"] = "karim", ["رحیم"] = "rahim", ["ابراهیم"] = "ebrahim", ["اسماعیل"] = "esmaeil", ["یوسف"] = "yousef",
        ["یعقوب"] = "yaghoub", ["داوود"] = "davoud", ["داود"] = "davoud", ["سلیمان"] = "soleiman", ["موسی"] = "mousa",
        ["موسوی"] = "mousavi", ["هاشم"] = "hashem", ["جعفر"] = "jafar", ["صادق"] = "sadegh", ["قاسم"] = "ghasem",
        ["کاظم"] = "kazem", ["باقر"] = "bagher", ["نجف"] = "najaf", ["اکبر"] = "akbar", ["اصغر"] = "asghar",
        ["بهرام"] = "bahram", ["بهروز"] = "behrouz", ["بهزاد"] = "behzad", ["فرهاد"] = "farhad", ["فرشید"] = "farshid",
        ["کامران"] = "kamran", ["کیوان"] = "keyvan", ["بابک"] = "babak", ["آرش"] = "arash", ["سیاوش"] = "siavash",
        ["پرویز"] = "parviz", ["منصور"] = "mansour", ["ناصر"] = "naser", ["نادر"] = "nader", ["خلیل"] = "khalil",
        ["جلیل"] = "jalil", ["طاهر"] = "taher", ["عبدالله"] = "abdollah", ["نور"] = "nour", ["شهرام"] = "shahram",
        ["مهرداد"] = "mehrdad", ["فریدون"] = "fereydoun", ["کورش"] = "kourosh", ["کوروش"] = "kourosh", ["داریوش"] = "dariush",
        ["زهرا"] = "zahra", ["فاطمه"] = "fatemeh", ["مریم"] = "maryam", ["سارا"] = "sara", ["سمیرا"] = "samira",
        ["نرگس"] = "narges", ["لیلا"] = "leila", ["مینا"] = "mina", ["نسرین"] = "nasrin", ["شیرین"] = "shirin",
        ["پروانه"] = "parvaneh", ["الهام"] = "elham", ["الهه"] = "elaheh", ["زینب"] = "zeynab", ["معصومه"] = "masoumeh",
        ["طاهره"] = "tahereh", ["مهسا"] = "mahsa", ["نازنین"] = "nazanin", ["آزاده"] = "azadeh", ["ژاله"] = "zhaleh",
        ["سیما"] = "sima", ["رویا"] = "roya", ["پریسا"] = "parisa", ["مهناز"] = "mahnaz", ["شهره"] = "shohreh",
        ["اکرم"] = "akram", ["اعظم"] = "azam", ["منیژه"] = "manijeh", ["فرزانه"] = "farzaneh",
        // places
        ["تهران"] = "tehran", ["اصفهان"] = "esfahan", ["شیراز"] = "shiraz", ["تبریز"] = "tabriz", ["مشهد"] = "mashhad",
        ["کرمان"] = "kerman", ["قزوین"] = "ghazvin", ["یزد"] = "yazd", ["کرج"] = "karaj", ["رشت"] = "rasht",
        ["ایران"] = "iran", ["پارس"] = "pars", ["البرز"] = "alborz", ["خلیج"] = "khalij", ["فارس"] = "fars",
        // words of business names
        ["شرکت"] = "sherkat", ["بازرگانی"] = "bazargani", ["بازرگان"] = "bazargan", ["نوین"] = "novin",
        ["فروشگاه"] = "forushgah", ["آفتاب"] = "aftab", ["شعبه"] = "shobeh", ["مرکز"] = "markaz", ["مرکزی"] = "markazi",
        ["انبار"] = "anbar", ["گروه"] = "gorouh", ["صنایع"] = "sanaye", ["صنعت"] = "sanat", ["صنعتی"] = "sanati",
        ["تجارت"] = "tejarat", ["تجاری"] = "tejari", ["خدمات"] = "khadamat", ["مهندسی"] = "mohandesi", ["مهندس"] = "mohandes",
        ["بانک"] = "bank", ["دفتر"] = "daftar", ["آقای"] = "aghaye", ["آقا"] = "agha", ["خانم"] = "khanom", ["دکتر"] = "doktor",
        ["سهامی"] = "sahami", ["خاص"] = "khas", ["عام"] = "aam", ["تولیدی"] = "tolidi", ["تولید"] = "tolid", ["پخش"] = "pakhsh",
        ["توزیع"] = "tozi", ["بیمه"] = "bimeh", ["بیمارستان"] = "bimarestan", ["داروخانه"] = "darukhaneh", ["دارو"] = "darou",
        ["رستوران"] = "restoran", ["هتل"] = "hotel", ["آژانس"] = "azhans", ["نمایندگی"] = "namayandegi",
        ["کارخانه"] = "karkhaneh", ["کالا"] = "kala", ["آریا"] = "arya", ["سپهر"] = "sepehr", ["پیام"] = "payam",
        ["امید"] = "omid", ["مهر"] = "mehr", ["آسیا"] = "asia", ["جهان"] = "jahan", ["پردازش"] = "pardazesh",
        ["فناوری"] = "fanavari", ["اطلاعات"] = "etelaat", ["ارتباطات"] = "ertebatat", ["سازه"] = "sazeh",
        ["ساختمان"] = "sakhteman", ["عمران"] = "omran", ["آهن"] = "ahan", ["فولاد"] = "foulad", ["چوب"] = "choub",
        ["کاغذ"] = "kaghaz", ["فرش"] = "farsh", ["لوازم"] = "lavazem", ["خانگی"] = "khanegi", ["برق"] = "bargh",
        ["کشاورزی"] = "keshavarzi", ["پزشکی"] = "pezeshki", ["آموزش"] = "amouzesh", ["آموزشگاه"] = "amouzeshgah",
        ["موسسه"] = "moasseseh", ["دانشگاه"] = "daneshgah", ["مدرسه"] = "madreseh", ["شهر"] = "shahr",
        ["شهرداری"] = "shahrdari", ["اداره"] = "edareh", ["کل"] = "kol", ["و"] = "va", ["پیمانکاری"] = "peymankari",
        ["حمل"] = "haml", ["نقل"] = "naghl", ["صادرات"] = "saderat", ["واردات"] = "varedat", ["طلا"] = "tala",
        ["جواهر"] = "javaher", ["پوشاک"] = "poushak", ["کفش"] = "kafsh", ["چاپ"] = "chap", ["نشر"] = "nashr",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

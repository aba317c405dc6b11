package dev.kestrel.simulator;

import java.util.List;
import java.util.SplittableRandom;

/** Made-up but plausible names and identifiers, so the desk page and the masking look like the real thing. */
final class Names {
    private static final List<String> SYLLABLES = List.of("Heng", "Xin", "Jin", "Hua", "Long", "Tai", "Rui", "Feng",
            "Sheng", "Yuan", "Da", "Kang", "Ming", "Tian", "Hai", "Bao", "Fu", "Guang", "Jia", "Yong");
    private static final List<String> TRADES = List.of("Precision Machinery", "Logistics", "Textiles", "Steel",
            "Agritech", "Pharmaceutical", "Shipping", "Solar Energy", "Electronics", "Foods", "Chemicals", "Auto Parts",
            "Construction", "Paper", "Software");
    private static final List<String> SURNAMES = List.of("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang",
            "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu", "Hu");
    private static final List<String> GIVEN = List.of("Lei", "Fang", "Wei", "Min", "Jing", "Qiang", "Yan", "Jun",
            "Tao", "Hui", "Ping", "Gang", "Li", "Na", "Hong");
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHJKLMNPQRTUWXY"; // the credit-code alphabet

    private Names() {}

    static String company(SplittableRandom random) {
        return pick(random, SYLLABLES) + pick(random, SYLLABLES).toLowerCase() + " " + pick(random, TRADES) + " Co., Ltd.";
    }

    static String group(SplittableRandom random) {
        return pick(random, SYLLABLES) + pick(random, SYLLABLES).toLowerCase() + " Holdings Group";
    }

    static String person(SplittableRandom random) {
        return pick(random, SURNAMES) + " " + pick(random, GIVEN);
    }

    /** An 18-character unified social credit code: 91 (enterprise), a 6-digit region code, 10 more characters. */
    static String creditCode(SplittableRandom random, String regionCode) {
        StringBuilder code = new StringBuilder("91").append(regionCode);
        for (int i = 0; i < 10; i++) {
            code.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return code.toString();
    }

    /** An 18-digit resident ID number: region, birth date, sequence, check digit. */
    static String idNumber(SplittableRandom random, String regionCode) {
        int year = 1960 + random.nextInt(35);
        return String.format("%s%04d%02d%02d%03d%d", regionCode, year, 1 + random.nextInt(12), 1 + random.nextInt(28),
                random.nextInt(1000), random.nextInt(10));
    }

    static String mobile(SplittableRandom random) {
        return String.format("1%d%d%08d", 3 + random.nextInt(6), random.nextInt(10), random.nextInt(100_000_000));
    }

    static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}

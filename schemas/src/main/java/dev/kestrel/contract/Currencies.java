package dev.kestrel.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The currencies money may be in: the active ISO 4217 currencies listed in {@code currencies.txt} beside this class,
 * with the ISO list's date. Java's {@code Currency.getAvailableCurrencies()} is not the list: it keeps every code it
 * ever knew (DEM, HRK, ZWL) and holds codes that are not money (XXX, XTS, gold, fund codes), so an event in them
 * would be summed with real money. The file also says why each such code is refused.
 */
public final class Currencies {
    private static final Map<String, Integer> ACTIVE = new TreeMap<>();
    private static final Map<String, String> REFUSED = new TreeMap<>();

    static {
        try (InputStream in = Currencies.class.getResourceAsStream("currencies.txt")) {
            if (in == null) {
                throw new IllegalStateException("currencies.txt is missing from the class path beside " + Currencies.class.getName());
            }
            read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read currencies.txt", e);
        }
    }

    private Currencies() {}

    private static void read(BufferedReader lines) throws IOException {
        Map<String, ?> section = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("[active]") || line.equals("[refused]")) {
                section = line.equals("[active]") ? ACTIVE : REFUSED;
                continue;
            }
            String[] codeAndRest = line.split(" ", 2);
            if (section == ACTIVE) {
                ACTIVE.put(codeAndRest[0], Integer.parseInt(codeAndRest[1].split(" ", 2)[0]));
            } else if (section == REFUSED) {
                REFUSED.put(codeAndRest[0], codeAndRest[1]);
            } else {
                throw new IllegalStateException("currencies.txt: a code before [active] or [refused]: " + line);
            }
        }
    }

    static boolean isActive(String code) {
        return code != null && ACTIVE.containsKey(code);
    }

    /** The number of decimals of the active currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). */
    public static int minorUnits(String code) {
        Integer digits = ACTIVE.get(code);
        if (digits == null) {
            throw new IllegalArgumentException(code + " is not an active ISO 4217 currency");
        }
        return digits;
    }

    /** Why a code ISO 4217 knows is refused, e.g. "means no currency" for XXX; null for a code the list does not explain. */
    static String whyRefused(String code) {
        return code == null ? null : REFUSED.get(code);
    }

    /** Every active code with its minor units (the number of decimals of the currency's minor unit). */
    static Map<String, Integer> active() {
        return Collections.unmodifiableMap(ACTIVE);
    }

    /** Every refused code with the reason. */
    static Map<String, String> refused() {
        return Collections.unmodifiableMap(REFUSED);
    }
}

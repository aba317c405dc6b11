package dev.kestrel.simulator;

import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The simulated loan book: borrowers, the corporate groups some of them belong to, and which of them get into
 * trouble and when. Everything follows from the options' seed.
 */
final class Portfolio {
    final List<Borrower> borrowers = new ArrayList<>();
    final Map<String, String> groupNames = new LinkedHashMap<>();
    private final SimulatorOptions options;

    Portfolio(SimulatorOptions options) {
        this.options = options;
        SplittableRandom random = new SplittableRandom(options.seed());
        int days = options.days();
        // Trouble starts between 15% and 55% into the period, so most of it plays out inside the period.
        int earliest = Math.max(1, days * 15 / 100);
        int latest = Math.max(earliest + 1, days * 55 / 100);
        int next = 0;
        int grouped = options.borrowers() * 35 / 100;
        List<Integer> groupSizes = new ArrayList<>();
        for (int g = 0; g < options.groups() && grouped > 1; g++) {
            int size = Math.min(grouped, 2 + random.nextInt(7));
            groupSizes.add(size);
            grouped -= size;
        }
        for (int g = 0; g < groupSizes.size(); g++) {
            String groupId = String.format("G-%03d", g + 1);
            groupNames.put(groupId, Names.group(random));
            // Some groups have an anchor member that defaults and drags the others: contagion.
            boolean contagion = random.nextDouble() < options.deterioratingShare() * 4;
            LocalDate anchorOnset = options.start().plusDays(earliest + random.nextInt(Math.max(1, (latest - earliest) / 2)));
            for (int m = 0; m < groupSizes.get(g); m++) {
                if (contagion && m == 0) {
                    borrowers.add(new Borrower(next++, groupId, RiskPath.DETERIORATING, anchorOnset, options.seed(), options.start()));
                } else if (contagion) {
                    borrowers.add(new Borrower(next++, groupId, RiskPath.CONTAGION, anchorOnset.plusDays(80), options.seed(), options.start()));
                } else {
                    borrowers.add(independent(next++, groupId, random, earliest, latest));
                }
            }
        }
        while (next < options.borrowers()) {
            borrowers.add(independent(next++, null, random, earliest, latest));
        }
    }

    private Borrower independent(int index, String groupId, SplittableRandom random, int earliest, int latest) {
        if (random.nextDouble() >= options.deterioratingShare()) {
            return new Borrower(index, groupId, RiskPath.HEALTHY, null, options.seed(), options.start());
        }
        RiskPath path = random.nextInt(5) == 0 ? RiskPath.DIVERSION : RiskPath.DETERIORATING;
        LocalDate onset = options.start().plusDays(earliest + random.nextInt(latest - earliest));
        while (onset.getDayOfWeek().getValue() > 5) {
            onset = onset.plusDays(1); // drawdowns, and so diversions, happen on business days
        }
        return new Borrower(index, groupId, path, onset, options.seed(), options.start());
    }

    /** The one EUR/CNY rate the simulated book is converted at. */
    static final String EUR_CNY = "7.8";

    /**
     * Profiles, group limits, the last statement and collateral values, as of the day before the period; with
     * {@code reviews}, each borrower's latest periodic review too, which its officer follows from then on.
     */
    List<SpecificRecordBase> masterData(boolean reviews) {
        Instant at = options.start().minusDays(1).atTime(9, 0).toInstant(ZoneOffset.UTC);
        List<SpecificRecordBase> records = new ArrayList<>();
        Map<String, Long> groupLimits = new LinkedHashMap<>();
        LocalDate lastQuarterEnd = options.start().withDayOfMonth(1)
                .withMonth(((options.start().getMonthValue() - 1) / 3) * 3 + 1).minusDays(1);
        for (Borrower borrower : borrowers) {
            records.add(borrower.profile(at));
            records.add(borrower.statement(lastQuarterEnd, at.plusSeconds(60)));
            records.add(borrower.collateral(at.plusSeconds(120), 1.0));
            if (reviews) {
                records.add(borrower.reviewBefore(options.start(), at.plusSeconds(180)));
            }
            if (borrower.groupId != null) {
                groupLimits.merge(borrower.groupId, borrower.facilityLimits(), Long::sum);
            }
        }
        // A group limit is tighter than the sum of its members' limits: that is the point of having one.
        groupLimits.forEach((groupId, sum) -> records.add(GroupLimit.newBuilder()
                .setGroupId(groupId).setGroupName(groupNames.get(groupId)).setLimitMinor(sum * 85 / 100)
                .setCurrency("CNY").setEffectiveDate(options.start().minusDays(30)).setEventTime(at)
                .build()));
        // The book is in CNY: the euro rate lets the EU regime judge materiality in euro (EUR 500). One rate, in force
        // from the day before the first event on; the simulated book moves no exchange rate.
        records.add(FxRate.newBuilder().setEventId("FX-SIM-EURCNY").setBaseCurrency("EUR").setQuoteCurrency("CNY")
                .setRate(EUR_CNY).setSource("simulated, fixed").setEventTime(at).build());
        return records;
    }

    /** Every borrower's events of one day, in event-time order. */
    List<SpecificRecordBase> day(LocalDate day) {
        List<SpecificRecordBase> events = new ArrayList<>(borrowers.size() * 5);
        for (Borrower borrower : borrowers) {
            borrower.live(day, events);
        }
        events.sort(java.util.Comparator.comparingLong(Portfolio::eventTime));
        return events;
    }

    static long eventTime(SpecificRecordBase record) {
        return ((Instant) record.get("eventTime")).toEpochMilli();
    }
}

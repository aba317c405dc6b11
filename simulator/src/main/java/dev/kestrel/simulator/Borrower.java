package dev.kestrel.simulator;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.Channel;
import dev.kestrel.events.CollateralKind;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.PeriodType;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One simulated borrower: who it is, how its business runs, and what happens to it ({@link RiskPath}). Each day it
 * books receipts and payments, pays or misses its instalments, files statements and draws bureau attention, all
 * from its own seeded random stream, so a run is the same whatever else is simulated beside it.
 */
final class Borrower {
    static final List<String> RATINGS = List.of("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
            "BB+", "BB", "BB-", "B+", "B", "B-", "CCC", "CC", "C", "D");
    private static final List<String> INDUSTRIES = List.of("C", "C", "C", "F", "G", "E", "K", "I", "D", "A");
    private static final List<String> REGIONS = List.of("CN-SH", "CN-BJ", "CN-GD", "CN-JS", "CN-ZJ", "CN-SD", "CN-SC", "CN-HB");
    private static final List<String> REGION_CODES = List.of("310000", "110000", "440000", "320000", "330000", "370000",
            "510000", "420000");
    private static final String CURRENCY = "CNY";

    final String id;
    final String groupId;
    final RiskPath path;
    /** Day the trouble starts (its own, or for CONTAGION the anchor's first missed due date); null when healthy. */
    final LocalDate onset;
    private final SplittableRandom random;
    private final String name;
    private final String industry;
    private final String region;
    private final String regionCode;
    private final int ratingIndex;
    /** Typical money in per month, minor units. */
    private final long monthlyInflow;
    private final long termLimit;
    private final long revolverLimit;
    private final int dueDay;
    private final int customers;
    private final int suppliers;
    private long termDrawn;
    private long revolverDrawn;
    private long balance;
    private int sequence;
    private int newCounterparties;
    private int supplierPayments;
    /** No drawdowns before this day: the engine first learns the borrower's usual counterparties. */
    private final LocalDate warmUpUntil;
    /** Instalments billed and not yet paid, oldest first. */
    private final List<Instalment> unpaid = new ArrayList<>();
    private LocalDate firstMissedDue;
    /** First day of the current unbroken run of arrears, as the engine counts days past due. */
    private LocalDate arrearsSince;
    private LocalDate defaultedOn;
    /** The officer's latest periodic review; null while the simulation sends none (SimulatorOptions#sendsReviews). */
    private LocalDate lastReviewed;
    private int reviews;

    private record Instalment(String id, LocalDate due, long amount, long principal, LocalDate paysOn) {
    }

    Borrower(int index, String groupId, RiskPath path, LocalDate onset, long seed, LocalDate start) {
        this.warmUpUntil = start.plusDays(60);
        this.id = String.format("B-%05d", index);
        this.groupId = groupId;
        this.path = path;
        this.onset = onset;
        this.random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        this.name = Names.company(random);
        this.industry = Names.pick(random, INDUSTRIES);
        int region = random.nextInt(REGIONS.size());
        this.region = REGIONS.get(region);
        this.regionCode = REGION_CODES.get(region);
        boolean troubled = path == RiskPath.DETERIORATING || path == RiskPath.DIVERSION;
        this.ratingIndex = troubled ? 8 + random.nextInt(4) : 4 + random.nextInt(6);
        // Monthly receipts between about CNY 2 million and 200 million, most near 20 million.
        double millions = Math.exp(Math.log(20) + 0.9 * random.nextGaussian());
        this.monthlyInflow = (long) (Math.max(2, Math.min(200, millions)) * 1_000_000 * 100);
        this.termLimit = monthlyInflow * (4 + random.nextInt(6));
        this.termDrawn = termLimit * (70 + random.nextInt(25)) / 100;
        this.revolverLimit = monthlyInflow * 2;
        this.revolverDrawn = revolverLimit * (20 + random.nextInt(40)) / 100;
        this.dueDay = 5 + random.nextInt(20);
        this.customers = 8 + random.nextInt(25);
        this.suppliers = 6 + random.nextInt(20);
        this.balance = monthlyInflow * (8 + random.nextInt(8)) / 10;
    }

    String name() {
        return name;
    }

    long facilityLimits() {
        return termLimit + revolverLimit;
    }

    String termFacility() {
        return "F-" + id.substring(2) + "-T";
    }

    String revolverFacility() {
        return "F-" + id.substring(2) + "-R";
    }

    /** The day the borrower went over 90 days past due (CRR article 178), if it did. */
    LocalDate defaultDate() {
        return defaultedOn;
    }

    LocalDate firstMissedDue() {
        return firstMissedDue;
    }

    private boolean troubled() {
        return path == RiskPath.DETERIORATING || path == RiskPath.DIVERSION;
    }

    // ---- master data at the start -------------------------------------------------------------------------

    BorrowerProfile profile(Instant at) {
        return BorrowerProfile.newBuilder()
                .setBorrowerId(id).setName(name)
                .setUnifiedSocialCreditCode(Names.creditCode(random, regionCode))
                .setLegalRepresentativeName(Names.person(random))
                .setLegalRepresentativeIdNumber(Names.idNumber(random, regionCode))
                .setLegalRepresentativePhone(Names.mobile(random))
                .setIndustry(industry).setRegion(region).setGroupId(groupId)
                .setInternalRating(RATINGS.get(ratingIndex))
                .setSegment(monthlyInflow > 50_000_000_00L ? CustomerSegment.LARGE_CORPORATE
                        : monthlyInflow > 10_000_000_00L ? CustomerSegment.MID_CORPORATE : CustomerSegment.SME)
                .setFacilities(List.of(
                        Facility.newBuilder().setFacilityId(termFacility()).setType(FacilityType.TERM_LOAN)
                                .setCurrency(CURRENCY).setLimitMinor(termLimit).setDrawnMinor(termDrawn)
                                .setStartDate(LocalDate.ofInstant(at, ZoneOffset.UTC).minusYears(1))
                                .setMaturityDate(LocalDate.ofInstant(at, ZoneOffset.UTC).plusYears(4)).build(),
                        Facility.newBuilder().setFacilityId(revolverFacility()).setType(FacilityType.REVOLVING)
                                .setCurrency(CURRENCY).setLimitMinor(revolverLimit).setDrawnMinor(revolverDrawn)
                                .setStartDate(LocalDate.ofInstant(at, ZoneOffset.UTC).minusYears(1))
                                .setMaturityDate(LocalDate.ofInstant(at, ZoneOffset.UTC).plusYears(2)).build()))
                .setEventTime(at)
                .build();
    }

    CollateralValuation collateral(Instant at, double valueFactor) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return CollateralValuation.newBuilder()
                .setValuationId("CV-" + id + "-" + day).setCollateralId("COL-" + id.substring(2)).setBorrowerId(id)
                .setFacilityId(termFacility()).setKind(CollateralKind.REAL_ESTATE)
                .setValueMinor((long) (termLimit * 2.0 * valueFactor)).setCurrency(CURRENCY).setHaircutBasisPoints(3000)
                .setValuationDate(day).setValuer("Simulated Appraisal Co.").setEventTime(at)
                .build();
    }

    /** The statement for the quarter that ended before {@code periodEnd}'s quarter, received at {@code at}. */
    FinancialStatement statement(LocalDate periodEnd, Instant at) {
        boolean weak = troubled() && !periodEnd.isBefore(onset);
        long revenue = monthlyInflow * 3 * (weak ? 60 + random.nextInt(15) : 95 + random.nextInt(15)) / 100;
        long assets = monthlyInflow * 30;
        long liabilities = assets * (weak ? 84 + random.nextInt(8) : 52 + random.nextInt(14)) / 100;
        long currentLiabilities = liabilities * 45 / 100;
        long currentAssets = currentLiabilities * (weak ? 75 + random.nextInt(15) : 125 + random.nextInt(50)) / 100;
        long netProfit = revenue * (weak ? -(5 + random.nextInt(12)) : 4 + random.nextInt(9)) / 100;
        long operatingCashFlow = weak ? -revenue * (2 + random.nextInt(6)) / 100 : revenue * (5 + random.nextInt(8)) / 100;
        LocalDate periodStart = periodEnd.minusMonths(3).plusDays(1);
        // The lines a credit analyst spreads, derived without further random draws so earlier outputs stay the same.
        long shortTermDebt = currentLiabilities * 40 / 100;
        long longTermDebt = (liabilities - currentLiabilities) * 70 / 100;
        long interestExpense = (shortTermDebt + longTermDebt) * 5 / 100 / 4; // 5% a year, one quarter
        long operatingProfit = netProfit + interestExpense + Math.max(0, netProfit) / 3; // before interest and tax
        long depreciation = assets * 2 / 100 / 4;
        return FinancialStatement.newBuilder()
                .setStatementId("FS-" + id + "-" + periodEnd.getYear() + "Q" + periodEnd.get(IsoFields.QUARTER_OF_YEAR))
                .setBorrowerId(id).setPeriodType(PeriodType.QUARTER).setPeriodStart(periodStart).setPeriodEnd(periodEnd)
                .setAudited(periodEnd.getMonthValue() == 12).setCurrency(CURRENCY)
                .setTotalAssetsMinor(assets).setTotalLiabilitiesMinor(liabilities)
                .setCurrentAssetsMinor(currentAssets).setCurrentLiabilitiesMinor(currentLiabilities)
                .setRevenueMinor(revenue).setNetProfitMinor(netProfit).setOperatingCashFlowMinor(operatingCashFlow)
                .setTotalEquityMinor(assets - liabilities)
                .setCashAndEquivalentsMinor(currentAssets * 30 / 100).setReceivablesMinor(currentAssets * 35 / 100)
                .setInventoriesMinor(currentAssets * 25 / 100).setShortTermDebtMinor(shortTermDebt).setLongTermDebtMinor(longTermDebt)
                .setOperatingProfitMinor(operatingProfit).setEbitdaMinor(operatingProfit + depreciation)
                .setInterestExpenseMinor(interestExpense).setCapitalExpenditureMinor(depreciation * 9 / 10)
                .setEventTime(at)
                .build();
    }

    /** The review on file before the period: done three weeks to eleven months before it, so due dates spread over the year. */
    BorrowerReview reviewBefore(LocalDate start, Instant at) {
        lastReviewed = start.minusDays(20 + Math.floorMod(id.hashCode() * 7, 310));
        return review(lastReviewed, at, false);
    }

    /**
     * The borrower's officer: two in three review on time, yearly, and a troubled borrower every four weeks from five
     * weeks into its trouble (by when the watch list has it); the others review a month and a half late and never
     * monthly, so some borrowers' reviews fall overdue. Derived from the id, not the random stream, so that the rest of
     * the simulation is the same with reviews or without.
     */
    private void reviews(LocalDate day, List<SpecificRecordBase> out) {
        if (lastReviewed == null) {
            return;
        }
        boolean diligent = Math.floorMod(id.hashCode() * 31, 3) != 0;
        boolean watched = troubled() && !day.isBefore(onset.plusDays(35));
        LocalDate next = watched ? later(lastReviewed.plusDays(28), onset.plusDays(35)) : lastReviewed.plusDays(360);
        if (!diligent) {
            next = next.plusDays(watched ? 10_000 : 45);
        }
        if (day.equals(next)) {
            lastReviewed = day;
            out.add(review(day, day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(16 * 3600L + Math.floorMod(id.hashCode(), 3600)),
                    watched));
        }
    }

    private static LocalDate later(LocalDate one, LocalDate other) {
        return one.isAfter(other) ? one : other;
    }

    private BorrowerReview review(LocalDate day, Instant at, boolean watched) {
        String rating = RATINGS.get(ratingIndex);
        return BorrowerReview.newBuilder()
                .setEventId(String.format("RV-%s-%03d", id, ++reviews)).setBorrowerId(id)
                .setKind(watched ? ReviewKind.SITE_VISIT : ReviewKind.DESK_REVIEW).setReviewDate(day)
                .setFindings(watched ? "Receipts well below plan; payables stretched; management expects a bridging facility."
                        : "Accounts and repayments in line with the plan; no change to the credit.")
                .setRatingInForce(rating)
                .setRatingConcluded(watched ? RATINGS.get(Math.min(RATINGS.size() - 1, ratingIndex + 2)) : rating)
                .setNextReviewDate(null)
                .setVisitNotes(watched ? "Plant on short shifts; finished stock building up." : null)
                .setCustomerFeedback(watched ? "Management asks for time to collect its receivables." : null)
                .setReviewedBy("officer-" + Math.floorMod(id.hashCode(), 12))
                .setEventTime(at)
                .build();
    }

    // ---- one day ------------------------------------------------------------------------------------------

    /** Adds this borrower's events of the day to {@code out}, each with its event time on that day. */
    void live(LocalDate day, List<SpecificRecordBase> out) {
        boolean businessDay = day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
        instalments(day, out);
        countArrears(day);
        if (businessDay) {
            receipts(day, out);
            payments(day, out);
            drawdowns(day, out);
        }
        statements(day, out);
        bureau(day, out);
        reviews(day, out);
        if (day.getDayOfMonth() == 1 && day.getMonthValue() % 6 == 1) {
            boolean fallen = troubled() && day.isAfter(onset.plusDays(60));
            out.add(collateral(at(day, 11), fallen ? 0.6 : 1.0));
        }
    }

    /** Share of the usual receipts the borrower still gets on this day. */
    private double receiptsFactor(LocalDate day) {
        double season = 1 + 0.18 * Math.sin(2 * Math.PI * day.getDayOfYear() / 365.0);
        if (onset == null || day.isBefore(onset)) {
            return season;
        }
        long since = ChronoUnit.DAYS.between(onset, day);
        if (path == RiskPath.CONTAGION) {
            // Sags by up to 45% over two months as customers and banks grow wary of the group, then recovers.
            double sag = since < 60 ? 0.45 * since / 60 : Math.max(0, 0.45 - 0.45 * (since - 60) / 120.0);
            return season * (1 - sag);
        }
        return season * Math.max(0.3, 1 - 0.7 * since / 60.0);
    }

    private void receipts(LocalDate day, List<SpecificRecordBase> out) {
        int count = 1 + random.nextInt(3);
        long dayTotal = (long) (monthlyInflow / 21.7 * receiptsFactor(day) * (0.6 + 0.8 * random.nextDouble()));
        for (int i = 0; i < count; i++) {
            book(day, Direction.CREDIT, TransactionKind.TRANSFER, dayTotal / count, "CU-" + id.substring(2) + "-"
                    + random.nextInt(customers), "Customer payment", null, out);
        }
    }

    private void payments(LocalDate day, List<SpecificRecordBase> out) {
        // Costs are sticky: a shrinking business keeps paying its suppliers for a while, which drains the account.
        // Purchases follow the season (and a healthy business's sales), but not its troubles: those show in receipts.
        double season = 1 + 0.18 * Math.sin(2 * Math.PI * day.getDayOfYear() / 365.0);
        long usual = (long) (monthlyInflow / 21.7 * 0.68 * season * (0.6 + 0.8 * random.nextDouble()));
        // Every supplier is paid once in the first weeks, so the engine knows them before any drawdown.
        int supplier = supplierPayments < suppliers ? supplierPayments : random.nextInt(suppliers);
        supplierPayments++;
        book(day, Direction.DEBIT, TransactionKind.TRANSFER, usual, "SU-" + id.substring(2) + "-" + supplier,
                "Supplier invoice", null, out);
        if (day.getDayOfMonth() == 25 || day.getDayOfMonth() == 24 && day.getDayOfWeek() == DayOfWeek.FRIDAY) {
            book(day, Direction.DEBIT, TransactionKind.SALARY, monthlyInflow * 12 / 100, "PAYROLL-" + id.substring(2),
                    "Salaries", null, out);
        }
        if (day.getDayOfMonth() == 15 && day.getMonthValue() % 3 == 1) {
            book(day, Direction.DEBIT, TransactionKind.TAX, monthlyInflow * 3 * 5 / 100, "TAX-" + regionCode,
                    "VAT and corporate income tax", null, out);
        }
    }

    private void drawdowns(LocalDate day, List<SpecificRecordBase> out) {
        if (path == RiskPath.DIVERSION && day.equals(onset)) {
            // The proceeds leave at once for accounts the borrower never paid before: the classic diversion.
            long amount = (revolverLimit - revolverDrawn) * 9 / 10;
            revolverDrawn += amount;
            book(day, Direction.CREDIT, TransactionKind.DISBURSEMENT, amount, "BANK", "Working capital drawdown",
                    revolverFacility(), out);
            for (int part = 0; part < 3; part++) {
                book(day, Direction.DEBIT, TransactionKind.TRANSFER, amount * 28 / 100,
                        "NEW-" + id.substring(2) + "-" + newCounterparties++, "Consulting fee", null, out);
            }
            return;
        }
        if (day.isBefore(warmUpUntil)) {
            return;
        }
        if (random.nextInt(100) < 2 && revolverDrawn < revolverLimit * 8 / 10) {
            long amount = revolverLimit / 10;
            revolverDrawn += amount;
            book(day, Direction.CREDIT, TransactionKind.DISBURSEMENT, amount, "BANK", "Working capital drawdown",
                    revolverFacility(), out);
        } else if (random.nextInt(100) < 2 && revolverDrawn > revolverLimit / 10 && balance > revolverLimit / 5) {
            long amount = revolverLimit / 10;
            revolverDrawn -= amount;
            // Servicing reports the paydown as a repayment step (it lowers the drawn amount); the account shows the debit.
            Instalment paydown = new Instalment("PAYDOWN-" + day, day, amount, amount, day);
            out.add(repayment(day, 11, revolverFacility(), paydown, RepaymentKind.PAID, amount, null));
            book(day, Direction.DEBIT, TransactionKind.REPAYMENT, amount, "BANK", "Revolver paydown", revolverFacility(), out);
        }
    }

    private void instalments(LocalDate day, List<SpecificRecordBase> out) {
        LocalDate nextDue = day.withDayOfMonth(Math.min(dueDay, day.lengthOfMonth())).plusMonths(1);
        nextDue = nextDue.withDayOfMonth(Math.min(dueDay, nextDue.lengthOfMonth()));
        if (ChronoUnit.DAYS.between(day, nextDue) == 20) {
            // Billed 20 days ahead; how it will be paid is decided now, so the path shows in the schedule's fate.
            long principal = termDrawn / 48;
            long amount = principal + termDrawn * 5 / 1200; // about 5% a year of interest
            Instalment instalment = new Instalment(nextDue.toString(), nextDue, amount, principal, paysOn(nextDue));
            unpaid.add(instalment);
            out.add(repayment(day, 9, termFacility(), instalment, RepaymentKind.SCHEDULED, 0, day));
        }
        for (var iterator = unpaid.iterator(); iterator.hasNext(); ) {
            Instalment instalment = iterator.next();
            if (day.equals(instalment.paysOn())) {
                iterator.remove();
                termDrawn -= instalment.principal();
                out.add(repayment(day, 10, termFacility(), instalment, RepaymentKind.PAID, instalment.amount(), null));
                book(day, Direction.DEBIT, TransactionKind.REPAYMENT, instalment.amount(), "BANK", "Loan instalment",
                        termFacility(), out);
            } else if (day.equals(instalment.due().plusDays(1)) && !instalment.due().equals(instalment.paysOn())) {
                out.add(repayment(day, 8, termFacility(), instalment, RepaymentKind.MISSED, 0, null));
                if (instalment.paysOn() == null && firstMissedDue == null) {
                    firstMissedDue = instalment.due();
                }
            }
        }
    }

    /** Days past due as the engine counts them: from the first day after a due date while anything stays unpaid. */
    private void countArrears(LocalDate day) {
        boolean pastDue = unpaid.stream().anyMatch(instalment -> instalment.due().isBefore(day));
        if (!pastDue) {
            arrearsSince = null;
        } else if (arrearsSince == null) {
            arrearsSince = day;
        } else if (defaultedOn == null && ChronoUnit.DAYS.between(arrearsSince, day) + 1 > 90) {
            defaultedOn = day;
        }
    }

    /** The day an instalment due then is paid, or null if it never is. */
    private LocalDate paysOn(LocalDate due) {
        if (troubled() && !due.isBefore(onset.plusDays(75))) {
            return null;
        }
        if (troubled() && !due.isBefore(onset.plusDays(40))) {
            return due.plusDays(5 + random.nextInt(21));
        }
        int roll = random.nextInt(1000);
        if (roll < 15) {
            return due.plusDays(1 + random.nextInt(10));
        }
        if (roll < 20) {
            return due.plusDays(15 + random.nextInt(26));
        }
        return due;
    }

    private void statements(LocalDate day, List<SpecificRecordBase> out) {
        LocalDate quarterStart = day.withDayOfMonth(1).withMonth(((day.getMonthValue() - 1) / 3) * 3 + 1);
        int filingDelay = 30 + Math.floorMod(id.hashCode(), 16);
        if (ChronoUnit.DAYS.between(quarterStart, day) == filingDelay) {
            out.add(statement(quarterStart.minusDays(1), at(day, 15)));
        }
    }

    private void bureau(LocalDate day, List<SpecificRecordBase> out) {
        if (onset != null && troubled()) {
            long since = ChronoUnit.DAYS.between(onset, day);
            if (since == 30) {
                out.add(credit(day, CreditEventKind.RATING_CHANGE, RATINGS.get(ratingIndex),
                        RATINGS.get(Math.min(RATINGS.size() - 1, ratingIndex + 2)), null, "Outlook negative, downgraded"));
            } else if (since == 50 && random.nextBoolean()) {
                out.add(credit(day, CreditEventKind.TAX_ARREARS, null, null, monthlyInflow / 10, "Tax arrears notice"));
            } else if (since == 60) {
                out.add(credit(day, CreditEventKind.OVERDUE_ELSEWHERE, null, null, monthlyInflow / 2,
                        "Overdue at another lender"));
            } else if (since == 95) {
                out.add(credit(day, CreditEventKind.LAWSUIT, null, null, monthlyInflow, "Supplier sues for unpaid invoices"));
            }
        } else if (random.nextInt(2_000) == 0) {
            // The ordinary background: the odd rating move or news item about a healthy firm.
            boolean up = random.nextBoolean();
            int to = Math.max(0, Math.min(RATINGS.size() - 1, ratingIndex + (up ? -1 : 1)));
            out.add(random.nextBoolean()
                    ? credit(day, CreditEventKind.RATING_CHANGE, RATINGS.get(ratingIndex), RATINGS.get(to), null, "Annual review")
                    : credit(day, CreditEventKind.NEGATIVE_NEWS, null, null, null, "Press report on a product recall"));
        }
    }

    // ---- builders -----------------------------------------------------------------------------------------

    private Instant at(LocalDate day, int hour) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(hour * 3600L + random.nextInt(3600));
    }

    private void book(LocalDate day, Direction direction, TransactionKind kind, long amount, String counterparty,
                      String purpose, String facilityId, List<SpecificRecordBase> out) {
        if (amount <= 0) {
            return;
        }
        balance += direction == Direction.CREDIT ? amount : -amount;
        out.add(TransactionEvent.newBuilder()
                .setEventId("T-" + id.substring(2) + "-" + sequence++).setBorrowerId(id).setAccountId("A-" + id.substring(2))
                .setFacilityId(facilityId).setDirection(direction).setKind(kind).setAmountMinor(amount)
                .setCurrency(CURRENCY).setChannel(kind == TransactionKind.TRANSFER ? Channel.CLEARING : Channel.INTERNAL)
                .setCounterpartyId(counterparty).setCounterpartyName(null).setPurpose(purpose)
                .setBalanceAfterMinor(balance).setEventTime(at(day, 8 + random.nextInt(10)))
                .build());
    }

    private RepaymentEvent repayment(LocalDate day, int hour, String facilityId, Instalment instalment, RepaymentKind kind,
                                     long paid, LocalDate scheduleDate) {
        return RepaymentEvent.newBuilder()
                .setEventId("R-" + id.substring(2) + "-" + instalment.id() + "-" + kind).setBorrowerId(id)
                .setFacilityId(facilityId).setInstalmentId(instalment.id()).setKind(kind).setScheduleDate(scheduleDate)
                .setDueDate(instalment.due()).setAmountDueMinor(instalment.amount()).setPrincipalMinor(instalment.principal())
                .setAmountPaidMinor(paid).setCurrency(CURRENCY).setEventTime(at(day, hour))
                .build();
    }

    private CreditEvent credit(LocalDate day, CreditEventKind kind, String from, String to, Long amount, String text) {
        return CreditEvent.newBuilder()
                .setEventId("C-" + id.substring(2) + "-" + sequence++).setBorrowerId(id).setKind(kind)
                .setSource(kind == CreditEventKind.LAWSUIT ? "court" : kind == CreditEventKind.TAX_ARREARS ? "tax office" : "bureau")
                .setReference("REF-" + id.substring(2) + "-" + day).setPreviousRating(from).setNewRating(to)
                .setAmountMinor(amount).setCurrency(amount == null ? null : CURRENCY).setDescription(text)
                .setEventTime(at(day, 16))
                .build();
    }
}

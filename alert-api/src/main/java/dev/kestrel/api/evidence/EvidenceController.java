package dev.kestrel.api.evidence;

import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The evidence pages of the customer file (客户档案): what the engine read about a borrower, as it came. */
@Controller("/api/borrowers/{borrowerId}/evidence")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Borrowers")
class EvidenceController {
    private final Database database;
    private final BorrowerEvidence evidence;
    private final BorrowerStore borrowers;

    EvidenceController(Database database, BorrowerEvidence evidence, BorrowerStore borrowers) {
        this.database = database;
        this.evidence = evidence;
        this.borrowers = borrowers;
    }

    @Operation(summary = "The records behind a borrower's verdicts: its financial statements, bureau and court records, "
            + "repayment ledger and collateral valuations, as they came on the input topics, and the engine's word on each instalment")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    EvidenceView get(@PathVariable String borrowerId) {
        return database.read(connection -> {
            if (!borrowers.known(connection, borrowerId)) {
                throw ApiException.notFound("borrower " + borrowerId);
            }
            BorrowerEvidence.Instalments instalments = evidence.instalments(connection, borrowerId);
            return new EvidenceView(borrowerId, evidence.statements(connection, borrowerId),
                    evidence.creditEvents(connection, borrowerId), evidence.repayments(connection, borrowerId),
                    instalments.shown(), instalments.total() - instalments.shown().size(), evidence.valuations(connection, borrowerId));
        });
    }
}

import Testing

@testable import ConcordCore

/// The role × action × restriction table the design requires. Expectations are written by hand
/// from the rules of the design, never derived from `Policy` itself, so a change to the policy
/// that contradicts the rules fails here.
@Suite struct PolicyTests {
    // MARK: - Who asks

    static let caller = MemberCode("FRA")!
    static let ally = MemberCode("ITA")!
    static let other = MemberCode("DEU")!
    static let third = MemberCode("USA")!

    /// The principal holding `role`: roles that act for a member act for FRA.
    static func principal(_ role: Role) -> Principal {
        .key("key_test", role: role, member: role.actsForMember ? caller : nil)
    }

    // MARK: - Record scenarios, with visibility to FRA written by hand

    struct Scenario: CustomTestStringConvertible, Sendable {
        let name: String
        let facts: RecordFacts
        /// Whether the caller (FRA) owns it.
        let own: Bool
        /// Whether an NCB or frontline of FRA may see it, by the rules: own records always;
        /// other members' records only when active, not past review, and their restrictions let FRA in.
        let visible: Bool
        /// Whether checks may match it at all: active and not past review, whoever owns it.
        let served: Bool
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = {
        let only = Restrictions.Visibility.onlyListed
        let except = Restrictions.Visibility.allExcept
        // (name, owner, visibility, status, past review, own, visible)
        let rows: [(String, MemberCode, Restrictions.Visibility, RecordStatus, Bool, Bool, Bool)] = [
            ("own, all members, active", caller, .allMembers, .active, false, true, true),
            ("own, all members, withdrawn", caller, .allMembers, .withdrawn, false, true, true),
            ("own, all members, past review", caller, .allMembers, .active, true, true, true),
            ("own, only others listed, active", caller, only([other]), .active, false, true, true),
            ("own, all except itself, withdrawn", caller, except([caller]), .withdrawn, false, true, true),
            ("own, itself and another listed, active", caller, only([caller, other]), .active, false, true, true),
            ("other, all members, active", other, .allMembers, .active, false, false, true),
            ("other, all members, withdrawn", other, .allMembers, .withdrawn, false, false, false),
            ("other, all members, past review", other, .allMembers, .active, true, false, false),
            ("other, only caller listed, active", other, only([caller, ally]), .active, false, false, true),
            ("other, only caller listed, withdrawn", other, only([caller]), .withdrawn, false, false, false),
            ("other, only caller listed, past review", other, only([caller]), .active, true, false, false),
            ("other, only others listed, active", other, only([third, ally]), .active, false, false, false),
            ("other, all except caller, active", other, except([caller, third]), .active, false, false, false),
            ("other, all except others, active", other, except([third]), .active, false, false, true),
            ("other, all except others, withdrawn", other, except([third]), .withdrawn, false, false, false),
        ]
        return rows.flatMap { name, owner, visibility, status, pastReview, own, visible in
            // The owner's wish to be notified never changes who may see a record.
            [false, true].map { notify in
                Scenario(
                    name: name + (notify ? ", notify owner" : ""),
                    facts: RecordFacts(
                        kind: .travelDocument, owner: owner,
                        restrictions: Restrictions(visibility: visibility, notifyOwner: notify),
                        status: status, pastReview: pastReview),
                    own: own, visible: visible, served: status == .active && !pastReview)
            }
        }
    }()

    // MARK: - The rules, as a table

    /// What a role may do with an action on police records.
    enum RecordRule {
        /// `.newRecord` owned by the caller: allowed; owned by another member: not the owner.
        case create(Disclosure)
        /// Allowed on visible records, hidden otherwise.
        case see(Disclosure)
        /// Allowed on visible records that are served (active, not past review), hidden
        /// otherwise: checks never match withdrawn or stale data, not even the owner's.
        case match(Disclosure)
        /// Allowed on own records, not the owner on visible others, hidden on invisible others.
        case change(Disclosure)
        /// Allowed on every record whatever its restrictions and status (oversight).
        case oversee(Disclosure)

        var disclosure: Disclosure {
            switch self {
            case .create(let d), .see(let d), .match(let d), .change(let d), .oversee(let d): d
            }
        }
    }

    /// Absent entries mean deny(.roleNotPermitted).
    static let ncbRules: [Action: RecordRule] = [
        .create: .create(.full), .importRecords: .create(.full), .read: .see(.full), .check: .match(.full),
        .screen: .match(.full),
        .update: .change(.full), .withdraw: .change(.full),
    ]
    static let recordRules: [Role: [Action: RecordRule]] = [
        .ncbOfficer: ncbRules,
        .ncbAdmin: ncbRules,
        .frontline: [.check: .match(.actionable), .screen: .match(.actionable)],
        .secretariatReviewer: [.read: .oversee(.full)],
        .ccf: [.read: .oversee(.full)],
        .secretariatAdmin: [:],
        .assemblySecretary: [:],
        .delegate: [:],
        // A partner's check reaches records only through a service of its agreement (below).
        .partner: [.check: .match(.hitOnly)],
    ]

    static let keyActions: Set<Action> = [.issueKey, .listKeys, .revokeKey]
    static let nationalKeyRoles: Set<Role?> = [nil, .ncbOfficer, .ncbAdmin, .frontline]

    static func expectedForRecord(_ role: Role, _ action: Action, _ scenario: Scenario) -> Decision {
        switch recordRules[role]?[action] {
        case nil, .create:
            // Creating is asked of a `.newRecord`, never of a record that already exists.
            return .deny(.roleNotPermitted)
        case .see(let d):
            return scenario.visible ? .allow(d) : .deny(.hidden)
        case .match(let d):
            return scenario.visible && scenario.served ? .allow(d) : .deny(.hidden)
        case .change(let d):
            if scenario.own { return .allow(d) }
            return scenario.visible ? .deny(.notOwner) : .deny(.hidden)
        case .oversee(let d):
            return .allow(d)
        }
    }

    static func expectedForNewRecord(_ role: Role, _ action: Action, _ scenario: Scenario) -> Decision {
        guard case .create(let d) = recordRules[role]?[action] else { return .deny(.roleNotPermitted) }
        return scenario.own ? .allow(d) : .deny(.notOwner)
    }

    static func expectedForCollection(_ role: Role, _ action: Action) -> Decision {
        guard role != .partner, let rule = recordRules[role]?[action] else { return .deny(.roleNotPermitted) }
        return .allow(rule.disclosure)
    }

    static func expectedForKeys(
        _ role: Role, _ action: Action, _ member: MemberCode?, _ keyRole: Role?
    )
        -> Decision
    {
        guard keyActions.contains(action) else { return .deny(.roleNotPermitted) }
        switch role {
        case .secretariatAdmin:
            return .allow(.full)
        case .ncbAdmin where member == caller && nationalKeyRoles.contains(keyRole):
            return .allow(.full)
        default:
            return .deny(.roleNotPermitted)
        }
    }

    static func expectedForJournal(_ role: Role, _ action: Action) -> Decision {
        role == .ccf && action == .readJournal ? .allow(.full) : .deny(.roleNotPermitted)
    }

    /// Kinds reached through the generic record targets; the signature bank's kinds have their own.
    static let policeKinds = RecordKind.allCases.filter { !$0.isSignatureBank }

    static let keyTargets: [(member: MemberCode?, role: Role?)] =
        [caller, other, nil].flatMap { member in
            ([nil] + Role.allCases.map(Optional.some)).map { (member: member, role: $0) }
        }

    // MARK: - The table test

    @Test(arguments: Role.allCases, Action.allCases)
    func everyRoleAndActionOnEveryTarget(role: Role, action: Action) {
        let principal = Self.principal(role)
        for scenario in Self.scenarios {
            #expect(
                Policy.decide(principal, action, .record(scenario.facts))
                    == Self.expectedForRecord(role, action, scenario),
                "record: \(scenario.name)")
            #expect(
                Policy.decide(principal, action, .newRecord(scenario.facts))
                    == Self.expectedForNewRecord(role, action, scenario),
                "new record: \(scenario.name)")
        }
        for kind in Self.policeKinds {
            #expect(
                Policy.decide(principal, action, .collection(kind))
                    == Self.expectedForCollection(role, action))
        }
        for target in Self.keyTargets {
            #expect(
                Policy.decide(principal, action, .keys(member: target.member, role: target.role))
                    == Self.expectedForKeys(role, action, target.member, target.role),
                "keys of \(target.member?.rawValue ?? "nil") role \(target.role?.rawValue ?? "nil")")
        }
        #expect(Policy.decide(principal, action, .journal) == Self.expectedForJournal(role, action))
    }

    static var allTargets: [Target] {
        scenarios.flatMap { [Target.record($0.facts), .newRecord($0.facts)] }
            + RecordKind.allCases.map(Target.collection)
            + signatureBankTargets
            + keyTargets.map { Target.keys(member: $0.member, role: $0.role) }
            + [.journal]
    }

    /// Beyond the public extracts (`everyoneReadsPublicExtracts...`), the public may do nothing.
    @Test(arguments: Action.allCases)
    func anonymousMayDoNothing(action: Action) {
        for target in Self.allTargets {
            #expect(Policy.decide(.anonymous, action, target) == .deny(.roleNotPermitted), "\(target)")
        }
    }

    @Test(arguments: Action.allCases)
    func localOperatorRunsKeysAndJournalButNoPoliceData(action: Action) {
        // The operator administers keys and verifies the journal, each on its own target only.
        let keyActions: Set<Action> = [.issueKey, .listKeys, .revokeKey]
        for target in Self.allTargets {
            let allowed: Bool
            switch target {
            case .keys: allowed = keyActions.contains(action)
            case .journal: allowed = action == .readJournal
            default: allowed = false
            }
            let expected: Decision = allowed ? .allow(.full) : .deny(.roleNotPermitted)
            #expect(Policy.decide(.localOperator, action, target) == expected, "\(target)")
        }
    }

    /// Acting for a member (`concord import --member FRA`), the operator may bulk-load that
    /// member's new records and nothing else of police data: not another member's, not single
    /// records, not existing ones. Keys and the journal stay as for the operator without a member.
    @Test(arguments: Action.allCases)
    func localOperatorImportsOnlyForTheMemberItActsFor(action: Action) {
        let principal = Principal.localOperator(for: Self.caller)
        let keyActions: Set<Action> = [.issueKey, .listKeys, .revokeKey]
        for scenario in Self.scenarios {
            let expectedNew: Decision =
                action == .importRecords ? (scenario.own ? .allow(.full) : .deny(.notOwner)) : .deny(.roleNotPermitted)
            #expect(Policy.decide(principal, action, .newRecord(scenario.facts)) == expectedNew, "\(scenario.name)")
            #expect(Policy.decide(principal, action, .record(scenario.facts)) == .deny(.roleNotPermitted))
        }
        for kind in Self.policeKinds {
            let expected: Decision = action == .importRecords ? .allow(.full) : .deny(.roleNotPermitted)
            #expect(Policy.decide(principal, action, .collection(kind)) == expected)
        }
        for target in Self.keyTargets {
            let expected: Decision = keyActions.contains(action) ? .allow(.full) : .deny(.roleNotPermitted)
            #expect(Policy.decide(principal, action, .keys(member: target.member, role: target.role)) == expected)
        }
        #expect(
            Policy.decide(principal, action, .journal)
                == (action == .readJournal ? .allow(.full) : .deny(.roleNotPermitted)))
    }

    // MARK: - The signature bank

    static let signatureBankTargets: [Target] = {
        let own = RecordFacts(kind: .imageSignature, owner: caller, restrictions: .none, status: .active)
        let others = RecordFacts(kind: .imageSignature, owner: other, restrictions: .none, status: .active)
        return [true, false].flatMap { authorised in
            [nil, own, others].map {
                Target.signatureBank(SignatureBankFacts(signature: $0, contributorAuthorised: authorised))
            }
        } + [.icseAuthorisations]
    }()

    /// Signatures and ICSE authorisations are never reached through the generic record targets,
    /// whoever asks: their rules need the ICSE authorisation, which only `signatureBank` carries.
    @Test(arguments: Action.allCases)
    func signatureKindsAreClosedOnTheGenericTargets(action: Action) {
        let principals =
            [Principal.localOperator, .localOperator(for: Self.caller), .anonymous]
            + Role.allCases.map(Self.principal)
        for kind in RecordKind.allCases where kind.isSignatureBank {
            for owner in [Self.caller, Self.other] {
                let facts = RecordFacts(kind: kind, owner: owner, restrictions: .none, status: .active)
                for principal in principals {
                    for target in [Target.collection(kind), .record(facts), .newRecord(facts)] {
                        #expect(Policy.decide(principal, action, target) == .deny(.roleNotPermitted), "\(target)")
                    }
                }
            }
        }
    }

    /// Who may do what in the bank, written by hand: the Secretariat's administrator curates
    /// (adds for any member, reads, withdraws); reviewers and the CCF read; an NCB adds its own
    /// only while authorised, and reads or withdraws its own whatever the authorisation, other
    /// members' being hidden from it; nobody else takes part.
    @Test(arguments: Role.allCases, Action.allCases)
    func signatureBankTable(role: Role, action: Action) {
        let principal = Self.principal(role)
        let bankActions: Set<Action> = [.create, .importRecords, .read, .withdraw]
        for authorised in [true, false] {
            // (signature facts: nil = the bank, "own" = FRA's, "other" = DEU's)
            for subject in ["bank", "own", "other"] {
                let owner = subject == "own" ? Self.caller : Self.other
                let facts =
                    subject == "bank"
                    ? nil : RecordFacts(kind: .imageSignature, owner: owner, restrictions: .none, status: .active)
                let expected: Decision
                switch role {
                case .secretariatAdmin:
                    expected = bankActions.contains(action) ? .allow(.full) : .deny(.roleNotPermitted)
                case .secretariatReviewer, .ccf:
                    expected = action == .read ? .allow(.full) : .deny(.roleNotPermitted)
                case .ncbOfficer, .ncbAdmin:
                    if !bankActions.contains(action) {
                        expected = .deny(.roleNotPermitted)
                    } else if action == .create || action == .importRecords {
                        if !authorised {
                            expected = .deny(.roleNotPermitted)
                        } else {
                            expected = subject == "other" ? .deny(.notOwner) : .allow(.full)
                        }
                    } else {
                        expected = subject == "other" ? .deny(.hidden) : .allow(.full)
                    }
                default:
                    expected = .deny(.roleNotPermitted)
                }
                let target = Target.signatureBank(
                    SignatureBankFacts(signature: facts, contributorAuthorised: authorised))
                #expect(Policy.decide(principal, action, target) == expected, "\(subject), authorised \(authorised)")
            }
        }
        let managesAuthorisations = role == .secretariatAdmin && [.create, .read, .withdraw].contains(action)
        #expect(
            Policy.decide(principal, action, .icseAuthorisations)
                == (managesAuthorisations ? .allow(.full) : .deny(.roleNotPermitted)))
    }

    /// Baseline partners match (`check`), read the signed hash list (`read`) and report
    /// confirmed matches (`create`), under an agreement in force, in its country, naming
    /// `baseline`; I-Checkit allows nothing but `check`.
    @Test(arguments: Role.allCases, Action.allCases)
    func baselineForPartnersUnderABaselineAgreement(role: Role, action: Action) {
        let principal = Self.principal(role)
        let cases: [(AgreementFacts?, Bool)] = [
            (Self.agreement(inForce: true, services: [.baseline]), true),
            (Self.agreement(inForce: true, services: [.icheckit, .baseline]), true),
            (nil, false),
            (Self.agreement(inForce: false, services: [.baseline]), false),
            (Self.agreement(inForce: true, services: [.icheckit, .gateway]), false),
            (Self.agreement(inForce: true, services: [.baseline], country: Self.other), false),
        ]
        let baselineActions: Set<Action> = [.check, .read, .create]
        for (agreement, allowedToPartner) in cases {
            let expected: Decision =
                role == .partner && baselineActions.contains(action) && allowedToPartner
                ? .allow(.hitOnly) : .deny(.roleNotPermitted)
            #expect(
                Policy.decide(principal, action, .partnerService(.baseline, agreement)) == expected,
                "\(String(describing: agreement))")
        }
    }

    // MARK: - Properties that follow from the rules

    /// A refusal that names the role must never depend on a record, so `.collection` asked before
    /// a lookup must agree with every per-record answer.
    @Test(arguments: Role.allCases, Action.allCases)
    func collectionAgreesWithEveryRecordDecision(role: Role, action: Action) {
        let principal = Self.principal(role)
        // Partners are asked about their agreement's service instead of the police collection.
        let collection =
            role == .partner
            ? Policy.decide(principal, action, .partnerService(.icheckit, Self.agreement(inForce: true)))
            : Policy.decide(principal, action, .collection(.travelDocument))
        let perRecord = Self.scenarios.map { scenario in
            action.createsRecords
                ? Policy.decide(principal, action, .newRecord(scenario.facts))
                : Policy.decide(principal, action, .record(scenario.facts))
        }
        switch collection {
        case .deny(let denial):
            #expect(denial == .roleNotPermitted)
            #expect(perRecord.allSatisfy { $0 == .deny(.roleNotPermitted) })
        case .allow(let disclosure):
            #expect(!perRecord.contains(.deny(.roleNotPermitted)))
            for case .allow(let granted) in perRecord {
                #expect(granted == disclosure)
            }
            // Some record in the scenarios is one the role may act on.
            #expect(perRecord.contains(.allow(disclosure)))
        }
    }

    /// An NCB role without a member (a malformed key) must not see other members' data.
    @Test(arguments: [Role.ncbOfficer, .ncbAdmin, .frontline])
    func memberlessNationalKeySeesNothingOfOthers(role: Role) {
        let principal = Principal.key("key_broken", role: role, member: nil)
        for scenario in Self.scenarios {
            for action in [Action.read, .check, .screen, .update, .withdraw] {
                let decision = Policy.decide(principal, action, .record(scenario.facts))
                #expect(!decision.isAllowed, "\(action) \(scenario.name)")
            }
            #expect(!Policy.decide(principal, .create, .newRecord(scenario.facts)).isAllowed)
        }
        #expect(
            Policy.decide(principal, .issueKey, .keys(member: nil, role: .ncbOfficer))
                == .deny(.roleNotPermitted))
    }

    /// Screening reaches persons on notices, diffusions and nominal records; each kind is
    /// decided by the same rules, so no source of persons leaks what another would hide.
    @Test(arguments: Role.allCases, [RecordKind.notice, .diffusion, .nominalPerson])
    func screeningIsDecidedAlikeForEverySourceOfPersons(role: Role, kind: RecordKind) {
        let principal = Self.principal(role)
        for scenario in Self.scenarios {
            var facts = scenario.facts
            facts.kind = kind
            #expect(
                Policy.decide(principal, .screen, .record(facts)) == Self.expectedForRecord(role, .screen, scenario),
                "\(scenario.name)")
        }
        #expect(Policy.decide(principal, .screen, .collection(kind)) == Self.expectedForCollection(role, .screen))
    }

    /// Partners reach police data only through the services their agreements name, and
    /// person screening is none of them, whatever the agreement.
    @Test func partnersNeverScreenPersons() {
        let principal = Self.principal(.partner)
        for scenario in Self.scenarios {
            #expect(Policy.decide(principal, .screen, .record(scenario.facts)) == .deny(.roleNotPermitted))
        }
        for service in PartnerService.allCases {
            #expect(
                Policy.decide(
                    principal, .screen,
                    .partnerService(service, Self.agreement(inForce: true, services: Set(PartnerService.allCases))))
                    == .deny(.roleNotPermitted))
        }
        #expect(Policy.decide(principal, .screen, .collection(.nominalPerson)) == .deny(.roleNotPermitted))
    }

    @Test func tableCoversEveryRole() {
        #expect(Set(Self.recordRules.keys) == Set(Role.allCases))
    }

    // MARK: - Decision helpers

    @Test func isAllowedOnlyForAllow() {
        #expect(Decision.allow(.hitOnly).isAllowed)
        #expect(Decision.allow(.full).isAllowed)
        #expect(!Decision.deny(.hidden).isAllowed)
        #expect(!Decision.deny(.notOwner).isAllowed)
        #expect(!Decision.deny(.roleNotPermitted).isAllowed)
    }

    @Test func disclosuresAreOrdered() {
        #expect(Disclosure.hitOnly < .actionable)
        #expect(Disclosure.actionable < .full)
        #expect(!(Disclosure.full < .full))
    }

    @Test(arguments: [Disclosure.hitOnly, .actionable, .full])
    func allowReturnsItsDisclosure(disclosure: Disclosure) throws {
        #expect(try Decision.allow(disclosure).disclosure(for: .anonymous, "x") == disclosure)
    }

    @Test func roleNotPermittedIsUnauthenticatedOnlyForAnonymous() {
        let anonymous = #expect(throws: DomainError.self) {
            try Decision.deny(.roleNotPermitted).disclosure(for: .anonymous, "document 1")
        }
        #expect(anonymous.map(Self.isUnauthenticated) == true)

        let principals = [Principal.localOperator] + Role.allCases.map(Self.principal)
        for principal in principals {
            let error = #expect(throws: DomainError.self) {
                try Decision.deny(.roleNotPermitted).disclosure(for: principal, "document 1")
            }
            #expect(error.map(Self.isForbidden) == true, "\(principal)")
        }
    }

    @Test func notOwnerIsForbiddenAndHiddenIsNotFound() {
        let principal = Self.principal(.ncbOfficer)
        let notOwner = #expect(throws: DomainError.self) {
            try Decision.deny(.notOwner).disclosure(for: principal, "document 1")
        }
        #expect(notOwner.map(Self.isForbidden) == true)

        let hidden = #expect(throws: DomainError.self) {
            try Decision.deny(.hidden).disclosure(for: principal, "document 1")
        }
        guard case .notFound(let detail) = hidden else {
            Issue.record("hidden should read as not found, got \(String(describing: hidden))")
            return
        }
        // The refusal reads like an absence: it names the subject and nothing about an owner.
        #expect(detail.contains("document 1"))
        #expect(!detail.contains("owner"))
    }

    /// The subject is only worth building when a message needs it.
    @Test func subjectIsNotEvaluatedWhenAllowed() throws {
        var evaluated = false
        func subject() -> String {
            evaluated = true
            return "document"
        }
        _ = try Decision.allow(.full).disclosure(for: .anonymous, subject())
        #expect(!evaluated)
    }

    // MARK: - Partners, agreements, hits and alerts

    static func agreement(
        inForce: Bool, services: Set<PartnerService> = [.icheckit], country: MemberCode = caller
    )
        -> AgreementFacts
    {
        AgreementFacts(services: services, country: country, inForce: inForce)
    }

    @Test(arguments: Role.allCases, Action.allCases)
    func partnerServicesOnlyUnderAnAgreementInForceThatNamesThem(role: Role, action: Action) {
        let principal = Self.principal(role)
        let cases: [(AgreementFacts?, Bool)] = [
            (Self.agreement(inForce: true), true),
            (nil, false),
            (Self.agreement(inForce: false), false),
            (Self.agreement(inForce: true, services: [.baseline, .gateway]), false),
            // A key acts only in the country its agreement names.
            (Self.agreement(inForce: true, country: Self.other), false),
        ]
        for (agreement, allowedToPartner) in cases {
            let expected: Decision =
                role == .partner && action == .check && allowedToPartner ? .allow(.hitOnly) : .deny(.roleNotPermitted)
            #expect(
                Policy.decide(principal, action, .partnerService(.icheckit, agreement)) == expected,
                "\(String(describing: agreement))")
        }
    }

    @Test(arguments: Role.allCases, Action.allCases)
    func onlyTheSecretariatAdministratorKeepsAgreements(role: Role, action: Action) {
        let expected: Decision = role == .secretariatAdmin ? .allow(.full) : .deny(.roleNotPermitted)
        #expect(Policy.decide(Self.principal(role), action, .agreements) == expected)
    }

    @Test(arguments: Role.allCases, Action.allCases)
    func hitsBelongToTheirParties(role: Role, action: Action) {
        let principal = Self.principal(role)
        let ours = HitFacts(parties: [.member(Self.caller), .member(Self.other)])
        let theirs = HitFacts(parties: [.member(Self.other), .member(Self.ally)])
        let secretariat = HitFacts(parties: [.member(Self.other), .secretariat])
        let handlesHits: Set<Role> = [.ncbOfficer, .ncbAdmin, .secretariatAdmin, .secretariatReviewer]
        for (facts, partyIs) in [(ours, "FRA"), (theirs, "none"), (secretariat, "GS")] {
            let expected: Decision
            if action != .read && action != .update {
                expected = .deny(.roleNotPermitted)
            } else if role == .ccf {
                expected = action == .read ? .allow(.full) : .deny(.roleNotPermitted)
            } else if !handlesHits.contains(role) {
                expected = .deny(.roleNotPermitted)
            } else {
                let isParty = role.isNCB ? partyIs == "FRA" : partyIs == "GS"
                expected = isParty ? .allow(.full) : .deny(.hidden)
            }
            #expect(Policy.decide(principal, action, .hit(facts)) == expected, "\(partyIs)")
        }
    }

    @Test(arguments: Role.allCases, Action.allCases)
    func inboxesAndWebhooksBelongToTheirSide(role: Role, action: Action) {
        let principal = Self.principal(role)
        for party in [Party.member(Self.caller), .member(Self.other), .secretariat] {
            let ownSide =
                (role.isNCB && party == .member(Self.caller))
                || ((role == .secretariatAdmin || role == .secretariatReviewer) && party == .secretariat)
            let readsInbox = action == .read && (ownSide || role == .ccf)
            #expect(
                Policy.decide(principal, action, .inbox(party))
                    == (readsInbox ? .allow(.full) : .deny(.roleNotPermitted)), "inbox \(party)")
            let managesWebhooks =
                [.create, .read, .withdraw].contains(action)
                && ((role == .ncbAdmin && party == .member(Self.caller)) || role == .secretariatAdmin)
            #expect(
                Policy.decide(principal, action, .webhooks(party))
                    == (managesWebhooks ? .allow(.full) : .deny(.roleNotPermitted)), "webhooks \(party)")
        }
    }

    @Test func theLocalOperatorAndThePublicReachNoPartnerOrHitTarget() {
        let targets: [Target] =
            [
                .partnerService(.icheckit, Self.agreement(inForce: true)), .agreements,
                .hit(HitFacts(parties: [.member(Self.caller), .secretariat])), .inbox(.secretariat),
                .webhooks(.secretariat),
                .partnerService(.baseline, Self.agreement(inForce: true, services: [.baseline])),
            ] + Self.signatureBankTargets
        for principal in [Principal.localOperator, .anonymous] {
            for action in Action.allCases {
                for target in targets {
                    #expect(Policy.decide(principal, action, target) == .deny(.roleNotPermitted), "\(target)")
                }
            }
        }
    }

    /// The General Secretariat's reviewers hold the queue, decide and withdraw; the CCF may only
    /// order a withdrawal; no national, partner or Assembly role takes part, whatever the kind.
    @Test(arguments: Role.allCases, Action.allCases)
    func onlyTheSecretariatReviewsAndTheCommissionMayOrderWithdrawal(role: Role, action: Action) {
        let reviewer: Set<Action> = [.read, .update, .withdraw]
        let allowed =
            (role == .secretariatReviewer && reviewer.contains(action)) || (role == .ccf && action == .withdraw)
        for kind in [RecordKind.notice, .diffusion] {
            #expect(
                Policy.decide(Self.principal(role), action, .complianceReview(kind))
                    == (allowed ? .allow(.full) : .deny(.roleNotPermitted)), "\(kind)")
        }
    }

    /// Public extracts are read by anyone, without a key; nobody writes them through this target.
    @Test(arguments: Action.allCases)
    func everyoneReadsPublicExtractsAndNobodyElseDoesAnythingThere(action: Action) {
        let expected: Decision = action == .read ? .allow(.full) : .deny(.roleNotPermitted)
        for principal in Role.allCases.map(Self.principal) + [.anonymous] {
            #expect(Policy.decide(principal, action, .publicExtracts) == expected, "\(principal)")
        }
        #expect(Policy.decide(.localOperator, action, .publicExtracts) == .deny(.roleNotPermitted))
        #expect(Policy.decide(.anonymous, action, .complianceReview(.notice)) == .deny(.roleNotPermitted))
    }

    static func isForbidden(_ error: DomainError) -> Bool {
        if case .forbidden = error { return true }
        return false
    }

    static func isUnauthenticated(_ error: DomainError) -> Bool {
        if case .unauthenticated = error { return true }
        return false
    }
}

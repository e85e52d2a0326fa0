/// What a principal is allowed to be. The raw values are the names used on the wire and in the CLI.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case ncbOfficer = "ncb.officer"
    case ncbAdmin = "ncb.admin"
    case frontline = "frontline"
    case secretariatReviewer = "secretariat.reviewer"
    case secretariatAdmin = "secretariat.admin"
    case ccf = "ccf"
    case assemblySecretary = "assembly.secretary"
    case delegate = "delegate"
    case partner = "partner"

    /// Roles that act for one member country and therefore need one.
    public var actsForMember: Bool {
        switch self {
        case .ncbOfficer, .ncbAdmin, .frontline, .delegate, .partner: true
        case .secretariatReviewer, .secretariatAdmin, .ccf, .assemblySecretary: false
        }
    }

    public var isNCB: Bool { self == .ncbOfficer || self == .ncbAdmin }
}

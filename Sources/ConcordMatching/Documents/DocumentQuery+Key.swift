import ConcordCore

extension DocumentQuery {
    /// The key to look up. An MRZ must be valid in every check digit: a misread zone would
    /// otherwise check the wrong document and answer "no hit" with confidence.
    public func key() throws(DomainError) -> DocumentKey {
        switch self {
        case .fields(let issuer, let type, let number):
            return try DocumentKey(issuer: issuer, type: type, number: number)
        case .mrz(let lines):
            let verdict = MRZ.parse(lines)
            if let issue = verdict.issues.first {
                let advice = issue.suggestion.map { " (\($0))" } ?? ""
                throw DomainError.invalid(
                    field: "mrz",
                    "\(issue.field) at line \(issue.line), column \(issue.column): \(issue.message)\(advice)")
            }
            guard let document = verdict.document else {
                throw DomainError.invalid(field: "mrz", "not a machine-readable zone")
            }
            guard let issuer = IssuerCode(document.issuer) else {
                throw DomainError.invalid(field: "mrz", "unknown issuer code '\(document.issuer)'")
            }
            return try DocumentKey(issuer: issuer, type: document.documentType, number: document.documentNumber)
        }
    }
}

extension MRZDocument {
    /// What kind of document the zone's document code names.
    public var documentType: DocumentType {
        switch documentCode.first {
        case "P": .passport
        case "V": .visa
        case "I": .idCard
        default: .other
        }
    }
}

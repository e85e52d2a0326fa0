import Logging

/// Writes what `StreamLogHandler` writes to standard error, but formats the metadata when a line
/// is written rather than whenever it changes. The server sets a request id and a principal on
/// the logger of every request, and at the default level writes almost none of them: formatting
/// on every change cost a few per cent of a document check.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
        stream.logLevel = logLevel
        stream.metadata = metadata
        stream.log(event: event)
    }
}

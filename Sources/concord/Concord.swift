import ArgumentParser

@main
struct ConcordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "Concord: international police cooperation — notices, shared databases, checks and oversight.",
        subcommands: [
            Serve.self, Demo.self, Keys.self, Import.self, Journal.self, MRZCommand.self, Mind.self, HashCommand.self,
            SignaturesCommand.self,
            ScreeningCommand.self, StoreCommand.self,
        ])
}

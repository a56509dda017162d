namespace Ferry.Cli.Tests.Commands;

/// <summary>
/// Tests that run the real <c>ferry</c> as child processes and time or kill them: run one at a time, alone, so that
/// on a small machine one test's processes do not starve another's (the crash test's requests have a 5 s timeout).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessCollection
{
    public const string Name = "child processes";
}

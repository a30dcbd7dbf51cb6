/// <summary>The scenarios, one file each, and what they share: where the repository and the built module are.</summary>
static partial class Scenarios
{
    internal static readonly bool ShowCpu = Environment.GetEnvironmentVariable("BENCH_CPU") == "1";
    internal static readonly string Root = FindRoot();
    internal static readonly string Module = Path.Combine(Root, "out", "Bitrix24");

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (root != null && !File.Exists(Path.Combine(root, "Bitrix24.PowerShell.sln"))) root = Path.GetDirectoryName(root);
        return root ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}

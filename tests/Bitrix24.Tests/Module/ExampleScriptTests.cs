using System.Collections.Generic;
using System.IO;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Every script in docs/examples runs against the sandbox without an error.</summary>
    public sealed class ExampleScriptTests
    {
        public static IEnumerable<object[]> Scripts() =>
            Directory.GetFiles(Path.Combine(ModulePaths.RepoRoot, "docs", "examples"), "*.ps1")
                     .OrderBy(p => p)
                     .Select(p => new object[] { Path.GetFileName(p) });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void RunsAgainstTheSandbox(string script)
        {
            using var shell = new PowerShellSession();
            var text = File.ReadAllText(Path.Combine(ModulePaths.RepoRoot, "docs", "examples", script));
            Assert.Contains("Connect-Bitrix24 -Sandbox", text);

            var result = shell.Run(text);

            result.ThrowIfFailed();
        }

        [Fact]
        public void TheDemoShowsThePreviewAndTheRealUpdate()
        {
            using var shell = new PowerShellSession();

            var result = shell.Run(File.ReadAllText(Path.Combine(ModulePaths.RepoRoot, "docs", "examples", "demo.ps1")));

            result.ThrowIfFailed();
            var shown = shell.TakeHostText();
            Assert.Contains("What if: Performing the operation \"Update TITLE = 'Call from Gleb' -> 'IP Titov'", shown);
            Assert.Contains("555888", shown);
            var updated = result.Output.Last(o => o.TypeNames[0] == "Bitrix24.Lead");
            Assert.Equal("IP Titov", updated.Properties["TITLE"].Value);
            Assert.Equal(12500m, updated.Properties["OPPORTUNITY"].Value);
        }
    }
}

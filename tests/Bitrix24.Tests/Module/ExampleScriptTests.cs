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

        /// <summary>A script that connects by itself runs as it is; a script with parameters (a tool a user keeps,
        /// using the session's connection) runs as its help's first example says, on the sandbox.</summary>
        [Theory]
        [MemberData(nameof(Scripts))]
        public void RunsAgainstTheSandbox(string script)
        {
            using var shell = new PowerShellSession();
            var path = Path.Combine(ModulePaths.RepoRoot, "docs", "examples", script);
            var text = File.ReadAllText(path);
            var example = System.Text.RegularExpressions.Regex.Match(text, @"^\.EXAMPLE\s*\n\s*\./" + System.Text.RegularExpressions.Regex.Escape(script) + @"(?<arguments>[^\n]*)", System.Text.RegularExpressions.RegexOptions.Multiline);

            var result = example.Success
                ? shell.Run($"Connect-Bitrix24 -Sandbox; & '{path}' {example.Groups["arguments"].Value}")
                : shell.Run(text);

            Assert.True(example.Success || text.Contains("Connect-Bitrix24 -Sandbox"), $"{script} neither connects to the sandbox nor shows how it is run (.EXAMPLE)");
            result.ThrowIfFailed();
            if (example.Success && example.Groups["arguments"].Value.Contains("-WhatIf"))
                Assert.Contains("What if:", shell.TakeHostText());
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

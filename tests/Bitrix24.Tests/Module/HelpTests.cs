using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Get-Help shows the docs/ pages for every cmdlet, and the pages cannot drift from the code.</summary>
    public sealed class HelpTests : IDisposable
    {
        private static readonly string[] CommonParameters =
        {
            "Debug", "ErrorAction", "ErrorVariable", "InformationAction", "InformationVariable", "OutBuffer",
            "OutVariable", "PipelineVariable", "ProgressAction", "Verbose", "WarningAction", "WarningVariable",
        };

        private readonly PowerShellSession _shell = new PowerShellSession();

        public static IEnumerable<object[]> Cmdlets()
        {
            using var shell = new PowerShellSession();
            return shell.Run("(Get-Module Bitrix24).ExportedCmdlets.Keys").Output.Select(o => new object[] { o.ToString() }).ToList();
        }

        [Fact]
        public void TheManifestExportsExactlyTheCmdletsInTheAssembly()
        {
            var exported = _shell.Run("(Get-Module Bitrix24).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            var inAssembly = _shell.Run(@"
(Get-Module Bitrix24).ImplementingAssembly.GetTypes() | ForEach-Object {
    $attribute = [System.Attribute]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute])
    if ($attribute) { '{0}-{1}' -f $attribute.VerbName, $attribute.NounName }
}").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();

            Assert.NotEmpty(exported);
            Assert.Equal(inAssembly, exported);
            var manifest = File.ReadAllText(ModulePaths.Manifest);
            Assert.Matches(@"FunctionsToExport\s*=\s*@\(\)", manifest);
            Assert.Matches(@"AliasesToExport\s*=\s*@\(\)", manifest);
            Assert.Matches(@"VariablesToExport\s*=\s*@\(\)", manifest);
        }

        [Fact]
        public void TheManifestVersionIsTheAssemblyVersion()
        {
            var versions = _shell.Run("$m = Get-Module Bitrix24; $m.Version.ToString(3); $m.ImplementingAssembly.GetName().Version.ToString(3)").Output;
            Assert.Equal(versions[1].ToString(), versions[0].ToString());
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void EveryCmdletHasFullHelp(string cmdlet)
        {
            var help = Assert.Single(_shell.Run($"Get-Help {cmdlet} -Full").Output);
            var synopsis = help.Properties["Synopsis"].Value?.ToString() ?? "";
            Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.StartsWith(cmdlet + " ") || synopsis.Contains('['), $"{cmdlet} has no synopsis: '{synopsis}'");
            var description = _shell.Run($"(Get-Help {cmdlet} -Full).description.Text -join ' '").Output.Single().ToString();
            Assert.True(description.Length > 40, $"{cmdlet} has no description");
            var examples = _shell.Run($"@((Get-Help {cmdlet} -Examples).examples.example).Count").Output.Single();
            Assert.True((int)examples.BaseObject >= 2, $"{cmdlet} has {examples} examples");

            var documented = _shell.Run($"@((Get-Help {cmdlet} -Full).parameters.parameter | ForEach-Object {{ $_.name }})").Output.Where(o => o != null).Select(o => o.ToString()).OrderBy(n => n).ToList();
            var real = _shell.Run($"(Get-Command {cmdlet}).Parameters.Keys").Output.Select(o => o.ToString())
                             .Where(n => !CommonParameters.Contains(n)).OrderBy(n => n).ToList();
            Assert.Equal(real, documented);
            var undescribed = _shell.Run($"(Get-Help {cmdlet} -Full).parameters.parameter | Where-Object {{ $_ -and -not ($_.description.Text -join '') }} | ForEach-Object {{ $_.name }}").Output;
            Assert.DoesNotContain(undescribed, o => o != null);
            // The help as a console shows it: no markdown fence is left in it (Connect-Bitrix24's fifth example had one).
            var full = string.Join("\n", _shell.Run($"Get-Help {cmdlet} -Full | Out-String -Width 200").Output.Select(o => o.ToString()));
            Assert.DoesNotContain("```", full);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void TheMarkdownPageMatchesTheCmdletsParameters(string cmdlet)
        {
            var page = File.ReadAllText(Path.Combine(ModulePaths.RepoRoot, "docs", cmdlet + ".md"));
            var documented = Regex.Matches(page, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).OrderBy(n => n).ToList();
            var parameters = _shell.Run($"(Get-Command {cmdlet}).Parameters.Values | Where-Object {{ $common -notcontains $_.Name }} | ForEach-Object {{ $_.Name + '|' + ($_.Aliases -join ',') + '|' + $_.ParameterType.Name }}",
                                        new Dictionary<string, object> { ["common"] = CommonParameters }).Output.Select(o => o.ToString().Split('|')).ToList();
            Assert.Equal(parameters.Select(p => p[0]).OrderBy(n => n), documented);
            foreach (var p in parameters)
            {
                var block = Regex.Match(page, $@"^### -{p[0]}\n.*?```yaml\n(.*?)```", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
                var type = p[2] == "SwitchParameter" ? "SwitchParameter" : p[2];
                Assert.Contains($"Type: {type}\n", block);
                Assert.Contains($"Aliases: {p[1]}".TrimEnd(), block);
            }
        }

        [Fact]
        public void ParameterHelpAndExamplesShowTheRealText()
        {
            var phone = _shell.Run("(Get-Help Set-B24Lead -Parameter Phone).description.Text -join ' '").Output.Single().ToString();
            Assert.Contains("DELETE='Y'", phone);
            var example = _shell.Run("(Get-Help Set-B24Lead -Examples).examples.example[0].code").Output.Single().ToString();
            Assert.Contains("Set-B24Lead -Id 1608 -Title 'IP Titov'", example);
        }

        [Fact]
        public void TheAboutTopicIsThere()
        {
            var text = string.Join("\n", _shell.Run("Get-Help about_Bitrix24").Output.Select(o => o.ToString()));
            Assert.Contains("leaky bucket", text);
            Assert.Contains("Bitrix24.InvalidField", text);
        }

        public void Dispose() => _shell.Dispose();
    }
}

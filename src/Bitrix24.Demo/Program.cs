using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Bitrix24.Demo;

// Usage: dotnet run --project src/Bitrix24.Demo [-- path/to/script.ps1]
// Imports out/Bitrix24 into the real PowerShell engine and runs the script (default: docs/examples/demo.ps1).
var root = AppContext.BaseDirectory;
while (root != null && !File.Exists(Path.Combine(root, "Bitrix24.PowerShell.sln"))) root = Path.GetDirectoryName(root);
if (root == null) { Console.Error.WriteLine("Run this from inside the Bitrix24.PowerShell repository."); return 2; }

var module = Path.Combine(root, "out", "Bitrix24");
var scriptPath = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(root, "docs", "examples", "demo.ps1");
if (!File.Exists(Path.Combine(module, "Bitrix24.psd1"))) { Console.Error.WriteLine($"No module at {module}: run 'dotnet build' first."); return 2; }

// Colour codes only where a terminal shows them.
var host = new TextHost(Console.Out, stripColours: Console.IsOutputRedirected);
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
Console.WriteLine($"# Bitrix24.PowerShell demo: {Path.GetRelativePath(root, scriptPath)}");
// Everything the script writes goes through Out-Default, so it looks as it would in pwsh.
ps.AddScript($"Import-Module '{module}' -ErrorAction Stop").AddStatement()
  .AddScript(File.ReadAllText(scriptPath)).AddCommand("Out-Default");
ps.Commands.Commands[ps.Commands.Commands.Count - 1].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
try
{
    ps.Invoke();
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine("The demo stopped: " + ex.Message);
    return 1;
}
return ps.HadErrors ? 1 : 0;

# Every PowerShell example of README.md and docs/*.md, run as a user runs it: in a fresh runspace with the module
# imported and the sandbox connected, in a copy of docs/examples (where the files examples read live). An example
# passes when it runs without an error. One that needs a real portal says so in a comment line of its own
# ("# Needs a real portal: <why>"), as does the README's install block ("# Not run by the example tests: <why>"),
# and is listed here as skipped with that reason.
BeforeDiscovery {
    $root = Split-Path (Split-Path $PSScriptRoot)
    $pages = @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs') -Filter *.md | Sort-Object Name)
    $examples = foreach ($page in $pages) {
        $heading = ''; $inBlock = $false; $code = $null; $seen = @{}
        foreach ($line in Get-Content $page.FullName) {
            if ($inBlock) {
                if ($line -match '^```\s*$') {
                    $inBlock = $false
                    $name = "$($page.Name): $heading"
                    $seen[$name] = 1 + [int]$seen[$name]
                    if ($seen[$name] -gt 1) { $name += " ($($seen[$name]))" }
                    $text = $code -join "`n"
                    $marker = [regex]::Match($text, '^\s*# (Needs a real portal|Not run by the example tests): (.+)$', 'Multiline')
                    @{ Name = $name; Code = $text; Skip = $marker.Success; Why = $marker.Groups[1].Value + ': ' + $marker.Groups[2].Value }
                }
                else { $code += $line }
            }
            elseif ($line -match '^#{2,3} (.+)$') { $heading = $Matches[1] }
            elseif ($line -match '^```powershell\s*$') { $inBlock = $true; $code = @() }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    $modulePath = Get-BuiltModulePath
    $examplesFolder = Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'docs/examples'

    # A fresh runspace, as a new console is: the module imported, the sandbox connected, the location a copy of docs/examples.
    function Invoke-Example([string] $Code) {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("b24-example-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item $examplesFolder $work -Recurse
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule($modulePath)
        $shell = [powershell]::Create($state)
        try {
            $null = $shell.Runspace.SessionStateProxy.Path.SetLocation($work)
            $null = $shell.AddScript("Connect-Bitrix24 -Sandbox`n" + $Code + "`n").AddCommand('Out-String')
            $output = try { $shell.Invoke() } catch { $thrown = $_.Exception.InnerException ?? $_.Exception; $null }
            [pscustomobject]@{
                Errors = @($shell.Streams.Error | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" }) + @($thrown | Where-Object { $_ } | ForEach-Object Message)
                Output = "$output"
            }
        }
        finally {
            $shell.Dispose()
            Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Examples of README.md and docs' {
    It '<Name>' -ForEach $examples {
        if ($Skip) { Set-ItResult -Skipped -Because $Why; return }
        $result = Invoke-Example $Code
        $result.Errors | Should -BeNullOrEmpty -Because "the example is:`n$Code`nand printed:`n$($result.Output)"
        # One that only reads (Get-, Find-, Test-) promises output: it must show something, unless it says it prints nothing.
        if ($Code -match '^\s*(Get|Find|Test)-' -and $Code -notmatch '\b(Set|New|Remove|Save|Connect)-B24|\| *Out-Null|-WhatIf|Export-Csv|prints nothing') {
            $result.Output.Trim() | Should -Not -BeNullOrEmpty -Because "it reads and should show what it read:`n$Code"
        }
    }
}

<#
.SYNOPSIS
    Builds, tests, documents and packages Bitrix24.PowerShell: a thin front over dotnet.
.DESCRIPTION
    Runs in the pwsh that the repository's tool manifest pins (`dotnet tool restore`, then `dotnet pwsh`),
    or in any PowerShell 7.2+.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test    # every test: xunit, then Pester in this pwsh
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Demo    # docs/examples/demo.ps1 against the sandbox portal
.EXAMPLE
    ./build.ps1 Package    # out/packages/Bitrix24.<version>.nupkg, ready for the PowerShell Gallery
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Docs', 'Package')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # Use out/Bitrix24 as it is (the tests of this script use it; the module must have been built).
    [switch] $NoBuild,
    # Package: where the .nupkg goes.
    [string] $PackagePath = (Join-Path $PSScriptRoot 'out/packages'),
    # Test: only the Pester suite (or the files named here).
    [string[]] $PesterPath
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$modulePath = Join-Path $PSScriptRoot 'out/Bitrix24'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Build-Module {
    if (-not $NoBuild) { Invoke-Dotnet build -c $Configuration --nologo -v q }
    if (-not (Test-Path (Join-Path $modulePath 'Bitrix24.psd1'))) { throw "No module at $modulePath`: build it first." }
}

# Pester comes from the NuGet package folder (a PackageDownload in tests/Bitrix24.Tests restores it).
function Get-PesterManifest {
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list
        $packages = ($line -replace '^\s*global-packages:\s*', '').Trim()
    }
    $manifest = Join-Path $packages 'pester/5.9.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) { Invoke-Dotnet restore tests/Bitrix24.Tests --nologo -v q }
    $manifest
}

function Get-PwshCommand {
    # `dotnet pwsh` runs as dotnet + pwsh.dll; an installed pwsh is its own program.
    $program = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($program) -eq 'dotnet') { , @($program, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($program) }
}

# Pester runs in a fresh, non-interactive pwsh: a prompt a test did not expect fails at once instead of
# waiting for input, and the module loads as it does for a user. Its counts come back in a JSON file.
function Invoke-PesterSuite {
    $manifest = Get-PesterManifest
    $paths = if ($PesterPath) { $PesterPath -split "," | ForEach-Object { (Resolve-Path $_).Path } } else { , (Join-Path $PSScriptRoot 'tests/Pester') }
    $summary = Join-Path $PSScriptRoot 'tests/Pester/TestResults/summary.json'
    $null = New-Item -ItemType Directory -Force (Split-Path $summary)
    Remove-Item $summary -ErrorAction SilentlyContinue
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest' -Force
`$config = New-PesterConfiguration
`$config.Run.Path = @('$($paths -join "','")')
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$r = Invoke-Pester -Configuration `$config
@{ Result = `$r.Result; Passed = `$r.PassedCount; Failed = `$r.FailedCount; Skipped = `$r.SkippedCount
   FailedBlocks = `$r.FailedBlocksCount; FailedContainers = `$r.FailedContainersCount } | ConvertTo-Json | Set-Content '$summary'
"@
    $pwsh = Get-PwshCommand
    $rest = @($pwsh | Select-Object -Skip 1)
    & $pwsh[0] @rest -NoProfile -NoLogo -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path $summary)) { return @{ Result = 'Failed'; Passed = 0; Failed = 0; Skipped = 0; FailedBlocks = 0; FailedContainers = 1 } }
    Get-Content $summary -Raw | ConvertFrom-Json -AsHashtable
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Build-Module }
        'Test' {
            $xunit = @{ Passed = 0; Failed = 0 }
            if (-not $PesterPath) {
                # The solution build also compiles the module against .NET Framework 4.7.2 (Windows PowerShell 5.1).
                & dotnet test -c $Configuration --nologo 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable output | Out-Host
                $xunitExit = $LASTEXITCODE
                $summary = $output | Select-String 'Failed:\s*(\d+), Passed:\s*(\d+)' | Select-Object -Last 1
                if ($summary) { $xunit = @{ Failed = [int]$summary.Matches[0].Groups[1].Value; Passed = [int]$summary.Matches[0].Groups[2].Value } }
                elseif ($xunitExit -ne 0) { $xunit.Failed = 1 }
            }
            $pester = Invoke-PesterSuite
            Write-Host ("xunit: {0} passed, {1} failed" -f $xunit.Passed, $xunit.Failed)
            Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pester.Passed, $pester.Failed, $pester.Skipped)
            Write-Host ("Tests: {0} passed, {1} failed" -f ($xunit.Passed + $pester.Passed), ($xunit.Failed + $pester.Failed + $pester.FailedBlocks + $pester.FailedContainers))
            if ($xunit.Failed -gt 0 -or ($xunitExit -and $xunitExit -ne 0)) { throw 'The xunit suite failed.' }
            if ($pester.Result -ne 'Passed') { throw "The Pester suite failed ($($pester.Failed) test(s), $($pester.FailedBlocks) block(s), $($pester.FailedContainers) file(s))." }
        }
        'Demo' {
            Build-Module
            # A fresh pwsh, as a user's console is: the demo script with the built module imported.
            $script = "Import-Module '$modulePath' -ErrorAction Stop; & '$(Join-Path $PSScriptRoot 'docs/examples/demo.ps1')'"
            $pwsh = Get-PwshCommand
            $rest = @($pwsh | Select-Object -Skip 1)
            & $pwsh[0] @rest -NoProfile -NoLogo -Command $script
            if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
        }
        'Docs' {
            # The build turns docs/*.md into MAML help (en-US/Bitrix24.PowerShell.dll-Help.xml) and about_ topics.
            Build-Module
            Get-ChildItem (Join-Path $modulePath 'en-US') | Select-Object Name, Length
        }
        'Package' {
            if (-not $NoBuild) { Invoke-Dotnet build -c Release --nologo -v q }
            $null = New-Item -ItemType Directory -Force $PackagePath
            $repository = 'Bitrix24Build' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Register-PSResourceRepository -Name $repository -Uri (Resolve-Path $PackagePath).Path -Trusted
            try {
                $version = (Import-PowerShellDataFile (Join-Path $modulePath 'Bitrix24.psd1')).ModuleVersion
                Get-ChildItem $PackagePath -Filter "Bitrix24.$version.nupkg" | Remove-Item
                Publish-PSResource -Path $modulePath -Repository $repository
                Get-Item (Join-Path $PackagePath "Bitrix24.$version.nupkg")
            } finally {
                Unregister-PSResourceRepository -Name $repository
            }
        }
    }
}

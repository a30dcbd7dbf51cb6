<#
.SYNOPSIS
    Builds, tests, documents and packages Bitrix24.PowerShell: a thin front over dotnet.
.EXAMPLE
    ./build.ps1            # Build: lays the module out in out/Bitrix24
.EXAMPLE
    ./build.ps1 Test       # every test (xunit hosting PowerShell 7.6; Pester too when installed)
.EXAMPLE
    ./build.ps1 Demo       # runs docs/examples/demo.ps1 against the sandbox portal
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Docs', 'Package')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Dotnet build -c $Configuration }
        'Test' {
            Invoke-Dotnet test -c $Configuration
            if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0') {
                $result = Invoke-Pester -Path ./tests/Pester -PassThru
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
            } else {
                Write-Warning 'Pester 5 is not installed: skipped tests/Pester.'
            }
        }
        'Demo' { Invoke-Dotnet run --project src/Bitrix24.Demo -c $Configuration }
        'Docs' {
            # The build turns docs/*.md into MAML help itself (platyPS is not required); with platyPS
            # installed, maintainers may also run New-ExternalHelp on docs/ and compare.
            Invoke-Dotnet build src/Bitrix24.PowerShell -c $Configuration
            Get-ChildItem ./out/Bitrix24/en-US -ErrorAction SilentlyContinue
        }
        'Package' {
            Invoke-Dotnet build -c Release
            $version = (Import-PowerShellDataFile ./out/Bitrix24/Bitrix24.psd1).ModuleVersion
            $zip = "./out/Bitrix24-$version.zip"
            Compress-Archive -Path ./out/Bitrix24 -DestinationPath $zip -Force
            Write-Host "Packaged $zip"
        }
    }
}

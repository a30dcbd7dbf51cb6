# build.ps1's tasks, each run as a user runs it: in a fresh pwsh from the repository.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    $build = Join-Path (Get-RepoRoot) 'build.ps1'
}

Describe 'build.ps1' {
    It 'Build lays the module out in out/Bitrix24' {
        $out = Invoke-FreshPwsh "& '$build' Build; 'exit ' + `$LASTEXITCODE"
        ($out -join "`n") | Should -Match ' 0 Error\(s\)'
        Join-Path (Get-BuiltModulePath) 'Bitrix24.PowerShell.dll' | Should -Exist
        Join-Path (Get-BuiltModulePath) 'en-US/Bitrix24.PowerShell.dll-Help.xml' | Should -Exist
    }

    It 'Docs shows the MAML help and about topic it built' {
        $out = Invoke-FreshPwsh "& '$build' Docs -NoBuild"
        ($out -join "`n") | Should -Match 'Bitrix24.PowerShell.dll-Help.xml'
        ($out -join "`n") | Should -Match 'about_Bitrix24.help.txt'
    }

    It 'Demo runs the demo script in pwsh against the sandbox' {
        $out = Invoke-FreshPwsh "& '$build' Demo -NoBuild"
        $text = $out -join "`n"
        $text | Should -Match 'What if: Performing the operation "Update TITLE'
        $text | Should -Match 'IP Titov'
        $text | Should -Match '555888'
    }

    It 'Package makes a nupkg that Install-PSResource installs and Import-Module loads by name' {
        $packages = Join-Path $TestDrive 'packages'
        $userHome = Join-Path $TestDrive 'home'
        # .NET finds LocalApplicationData only where the folder exists (else PSResourceGet writes beside the working directory).
        $null = New-Item -ItemType Directory (Join-Path $userHome '.local/share')
        $out = Invoke-FreshPwsh "& '$build' Package -NoBuild -PackagePath '$packages'"
        $nupkg = Get-ChildItem $packages -Filter 'Bitrix24.*.nupkg'
        $nupkg | Should -HaveCount 1 -Because ($out -join "`n")

        # A user of their own: a home folder of its own, so the install scope is temporary.
        $install = Invoke-FreshPwsh -Environment @{ PSModulePath = ''; HOME = $userHome; XDG_DATA_HOME = ''; XDG_CONFIG_HOME = ''; XDG_CACHE_HOME = '' } @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalTest -Uri '$packages' -Trusted
Install-PSResource -Name Bitrix24 -Repository LocalTest -Scope CurrentUser -TrustRepository -Quiet
Import-Module Bitrix24
'base=' + (Get-Module Bitrix24).ModuleBase
Connect-Bitrix24 -Sandbox
'lead=' + (Get-B24Lead -Id 1601).TITLE
"@
        $text = $install -join "`n"
        $text | Should -Match ([regex]::Escape("base=$userHome"))
        $text | Should -Match 'lead=Call back about prices'
    }
}

<#
.SYNOPSIS
    How long Import-Module Bitrix24 takes in a fresh pwsh (the DESIGN target: under 100 ms).
.EXAMPLE
    dotnet pwsh bench/import.ps1            # 15 fresh processes, the built out/Bitrix24
#>
param([int] $Runs = 15, [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Bitrix24'))
$program = [Environment]::ProcessPath
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension($program) -eq 'dotnet') { @($program, (Join-Path $PSHOME 'pwsh.dll')) } else { @($program) }
$rest = @($pwsh | Select-Object -Skip 1)
$script = "(Measure-Command { Import-Module '$((Resolve-Path $ModulePath).Path)' }).TotalMilliseconds"
$times = 1..$Runs | ForEach-Object { [double](& $pwsh[0] @rest -NoProfile -NoLogo -NonInteractive -Command $script) }
$sorted = $times | Sort-Object
'Import-Module Bitrix24 in a fresh pwsh {0}, {1} runs: median {2:0.0} ms, fastest {3:0.0} ms, slowest {4:0.0} ms' -f
    $PSVersionTable.PSVersion, $Runs, $sorted[[int][math]::Floor($Runs / 2)], $sorted[0], $sorted[-1]

<#
.SYNOPSIS
Hands a leaving employee's open deals, leads and contacts, and open activities, to a colleague.

.DESCRIPTION
Both people are named by e-mail. Each kind goes as one bulk edit (50 records to a batch request, at the
portal's pace). Run it with -WhatIf first: every change is shown and nothing is sent.

.EXAMPLE
./Move-LeavingEmployeeWork.ps1 -From maria@example.com -To pavel@example.com -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $From,
    [Parameter(Mandatory)] [string] $To
)
$leaving = Get-B24User -Email $From -IncludeInactive
if (-not $leaving) { throw "No user of this portal has the e-mail address $From." }

Get-B24Deal -Filter @{ ASSIGNED_BY_ID = $leaving.ID; CLOSED = 'N' } | Set-B24Deal -AssignedById $To
Get-B24Lead -Filter @{ ASSIGNED_BY_ID = $leaving.ID; STATUS_SEMANTIC_ID = 'P' } | Set-B24Lead -AssignedById $To
Get-B24Contact -Filter @{ ASSIGNED_BY_ID = $leaving.ID } | Set-B24Contact -AssignedById $To
Get-B24Activity -ResponsibleId $leaving.ID -Open | Set-B24Activity -ResponsibleId $To

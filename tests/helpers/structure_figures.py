#!/usr/bin/env python3
"""The structure figures the README and notes quote: files per folder of core/ and app/, files
over 500 lines, functions over 60 lines (a function: a line ending in `) {` to the `}` at the
indentation where its declaration began), and the five largest classes by member count.
Usage: tests/helpers/structure_figures.py [TREE]  (default: the current folder)"""
import os,re,sys,collections
root=sys.argv[1] if len(sys.argv) > 1 else '.'
files=[]
for top in ('core','app'):
    for d,_,fs in os.walk(os.path.join(root,top)):
        for f in fs:
            if f.endswith(('.cpp','.hpp')): files.append(os.path.join(d,f))
per=collections.Counter(os.path.relpath(os.path.dirname(f),root) for f in files)
print('files per folder:'); [print(f'  {k}: {v}') for k,v in sorted(per.items())]
big=[(sum(1 for _ in open(f)),os.path.relpath(f,root)) for f in files]
over=[b for b in big if b[0]>500]
print('files over 500 lines:',len(over),sorted(over,reverse=True))
fn_start=re.compile(r'^(\s*)(?!(if|for|while|switch|else|do|namespace|struct|class|enum|union|return|try|catch)\b)[^\s#/}][^;]*\)\s*(const)?\s*(noexcept)?\s*(override)?\s*(final)?\s*(->\s*[\w:<>&*, ]+)?\s*\{\s*$')
long=[]; nfn=0
for f in files:
    lines=open(f,encoding='utf-8',errors='replace').read().split('\n')
    i=0
    while i<len(lines):
        m=fn_start.match(lines[i])
        if m and '=' not in lines[i].split('(')[0]:
            k=i
            while k>0 and lines[k-1].strip() and not lines[k-1].rstrip().endswith((';','{','}',':')) \
                    and not lines[k-1].lstrip().startswith(('//','#')):
                k-=1
            ind=re.match(r'\s*',lines[k]).group(0)
            j=i+1
            while j<len(lines) and not re.match('^'+ind+r'\}',lines[j]): j+=1
            n=j-i+1; nfn+=1
            if n>60: long.append((n,os.path.relpath(f,root)+':'+str(i+1)))
            i=j+1
        else: i+=1
print(f'functions: {nfn}; over 60 lines: {len(long)}',sorted(long,reverse=True))
# classes
text={f:open(f,encoding='utf-8',errors='replace').read() for f in files}
cls=re.compile(r'^(class|struct) (\w+)( final)?( : [^{]*)?\s*\{\n(.*?)^\};',re.S|re.M)
res=[]
for f in files:
    if not f.endswith('.hpp'): continue
    for m in cls.finditer(text[f]):
        name=m.group(2); body=m.group(5)
        fns=len(re.findall(r'^\s+[^/\n]*\w\([^;{]*\)[^;{]*(;|\{)',body,re.M))
        data=len(re.findall(r'^\s+[\w:<>, *&]+\s+\w+_(\s*=[^;]*|\{[^;]*\})?;',body,re.M))
        dfiles=[os.path.relpath(g,root) for g in files if g.endswith('.cpp') and re.search(r'^[\w:<>, *&]*\b'+name+r'::',text[g],re.M)]
        res.append((fns+data,name,fns,data,len(dfiles),os.path.relpath(f,root)))
res.sort(reverse=True)
print('largest classes (members = functions + data; files defining it):')
for r in res[:5]: print(f'  {r[1]}: {r[2]} member functions, {r[3]} data members, defined in {r[4]} .cpp files ({r[5]})')

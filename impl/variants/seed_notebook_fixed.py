"""The seed notebook's loop implementation with its two defects fixed, written in the notebook's
style.

Fixed: rnn_cell_backward takes Wax and Waa from the cache's parameters (the seed read notebook
globals), and softmax subtracts each column's own maximum (the seed used one global maximum, NaN
for a column ~745 below it). Inputs are read as float64, so float32 inputs give float64 outputs.
Differs from the reference in: style only (np.matmul, explicit loop, no input validation).
"""

# ruff: noqa: RUF059

import numpy as np


def softmax(x):
    x = np.asarray(x, dtype=float)
    x = x - np.max(x, axis=0, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=0)


def rnn_cell_forward(xt, a_prev, parameters):
    xt = np.asarray(xt, dtype=float)
    a_prev = np.asarray(a_prev, dtype=float)
    Wax = np.asarray(parameters["Wax"], dtype=float)
    Waa = np.asarray(parameters["Waa"], dtype=float)
    Wya = np.asarray(parameters["Wya"], dtype=float)
    ba = np.asarray(parameters["ba"], dtype=float)
    by = np.asarray(parameters["by"], dtype=float)
    a_next=np.tanh(np.matmul(Wax,xt)+np.matmul(Waa,a_prev)+ba)
    yt_pred=softmax(np.matmul(Wya,a_next)+by)
    cache=(a_prev,a_next,xt,parameters)
    return yt_pred,cache


def rnn_forward(x, a0, parameters):
    n_x,m,T_x=x.shape
    n_a=a0.shape[0]
    a=np.zeros((n_a,m,T_x))
    Wya=parameters["Wya"]
    n_y=Wya.shape[0]
    y_pred=np.zeros((n_y,m,T_x))
    caches=[]
    a_prev=a0
    for t in range(T_x):
        yt_pred,cache=rnn_cell_forward(x[:,:,t], a_prev, parameters)
        _,a_next,_,_=cache
        a[:,:,t]=a_next
        y_pred[:,:,t]=yt_pred
        caches.append(cache)
        a_prev=a_next
    caches = (caches, x)
    return a, y_pred, caches


def rnn_cell_backward(da_next, cache):
    a_prev,a_next,xt,parameters=cache
    a_prev = np.asarray(a_prev, dtype=float)
    a_next = np.asarray(a_next, dtype=float)
    xt = np.asarray(xt, dtype=float)
    da_next = np.asarray(da_next, dtype=float)
    Wax = np.asarray(parameters["Wax"], dtype=float)
    Waa = np.asarray(parameters["Waa"], dtype=float)
    dtemp=1-(a_next*a_next)
    dWaa=np.matmul(da_next*dtemp,a_prev.T)  # * is element-wise; np.matmul is the matrix product
    dWax=np.matmul(da_next*dtemp,xt.T)
    dxt= np.matmul(Wax.T,da_next*dtemp)
    da_prev= np.matmul(Waa.T,da_next*dtemp)
    dba=np.sum(da_next*dtemp,axis=1,keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients


def rnn_backward(da, caches):
    caches,x=caches
    n_x,m,T_x=x.shape
    a0,a1,x1,parameters=caches[0]
    n_a=a0.shape[0]
    da_prev=np.zeros((n_a,m))
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da0 = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients=rnn_cell_backward(da_prev+da[:,:,t], caches[t])
        dxt, da_prev, dWaxt, dWaat, dbat = (gradients["dxt"], gradients["da_prev"],
                                            gradients["dWax"], gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prev
    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa,"dba": dba}
    return gradients
